/* big-data.js: the payload of a large map, as geo/render/columns.py writes it: two deflated
   blocks of typed columns and JSON, the head (to draw) and the tail (report texts and what only
   popups show: inflated in the worker while the map is drawn, its strings cut when the first
   popup or details() asks for it).

   A block is inflated and its columns decoded off the page's thread, in a worker made from this
   script's own functions (blockInflater; a Blob URL, so it works from file:// too), or on the
   page's thread where no worker can be made. The blocks are not waited for: while the page is
   still loading, their base64 texts are handed to the worker a slice at a time as the parser
   adds them, so the head is inflated as it comes and read (strings cut) by the time the page
   script starts, when a processor is free for the worker (watchBlocks). */

var BIG_SLICE = 1 << 20; /* base64 characters handed over at a time (a multiple of 4) */

/* Base64 text as bytes (Uint8Array.fromBase64, where the browser has it, is several times
   faster than atob). */
function base64Chunk(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  var binary = atob(text), bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/* A block's columns, from its inflated bytes: { out: its JSON with each column of its
   "columns" list put in as a typed array (its base added back, sums of differences undone,
   quantised coordinates back in degrees), utf8: the bytes of its string table, world: the
   places' points at zoom 0 (bigProjection, with the events of each place) when the block has
   them }. */
function decodeColumns(buffer) {
  var TYPES = { u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array,
    i32: Int32Array };
  var size = new DataView(buffer).getUint32(0, true);
  var out = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
  var at = 4 + size;
  out.columns.forEach(function (c) {
    var Type = TYPES[c[1]], count = c[2], scale = c[4], base = c[5], i;
    var values = new Type(buffer, at, count);
    at += Math.ceil(count * Type.BYTES_PER_ELEMENT / 4) * 4;
    if (c[3]) {
      var sums = scale ? new Float64Array(count) : new Int32Array(count), sum = base;
      for (i = 0; i < count; i++) {
        sum += values[i];
        sums[i] = scale ? sum / scale : sum;
      }
      values = sums;
    } else if (base) {  /* else the values stay a view of the bytes */
      var shifted = new Int32Array(count);
      for (i = 0; i < count; i++) shifted[i] = values[i] + base;
      values = shifted;
    }
    out[c[0]] = values;
  });
  var utf8 = new Uint8Array(buffer, at, out.utf8);
  delete out.columns;
  delete out.utf8;
  return { out: out, utf8: utf8,
    world: out.place_lat ? bigProjection(out.place_lat, out.place_lon, out.place) : null };
}

/* The buffers that hold a decoded block's arrays (for postMessage to hand them over). */
function blockBuffers(block) {
  var found = [block.utf8.buffer];
  Object.keys(block.out).concat("world").forEach(function (key) {
    var value = key === "world" ? block.world : block.out[key];
    [value, value && value.x, value && value.y, value && value.start,
      value && value.order].forEach(function (v) {
      if (ArrayBuffer.isView(v) && found.indexOf(v.buffer) < 0) found.push(v.buffer);
    });
  });
  return found;
}

/* The inflater: receive({id, text, last}) takes block `id`'s base64 text a slice at a time (a
   multiple of 4 characters but the last); receive({id, read: true}) asks for the block. Blocks
   are inflated one after the other, in the order they are asked for, each as its text comes;
   when one is done it calls post({id, block}) with the block's columns (decodeColumns) and the
   buffers to hand over, or post({id, error}). Runs in the worker, or on the page's thread. */
function blockInflater(post) {
  var blocks = {}, turn = Promise.resolve();
  function write(b, text) {
    try {
      b.writer.write(base64Chunk(text)).catch(function () {});
    } catch (error) {
      b.writer.abort(error).catch(function () {});
    }
  }
  function inflate(id, b) {
    var stream = new DecompressionStream("deflate");
    b.writer = stream.writable.getWriter();
    b.texts.forEach(function (text) { write(b, text); });
    b.texts = null;
    if (b.last) b.writer.close().catch(function () {});
    return new Response(stream.readable).arrayBuffer().then(function (buffer) {
      var block = decodeColumns(buffer);
      post({ id: id, block: block }, blockBuffers(block));
    }).catch(function (error) {
      post({ id: id, error: String(error && error.message || error) }, []);
    });
  }
  return function receive(m) {
    var b = blocks[m.id] = blocks[m.id] || { writer: null, texts: [], last: false };
    if (m.read) {
      turn = turn.then(function () { return inflate(m.id, b); });
      return;
    }
    if (!b.writer) {  /* not its turn yet */
      if (m.text) b.texts.push(m.text);
      b.last = m.last;
      return;
    }
    if (m.text) write(b, m.text);
    if (m.last) b.writer.close().catch(function () {});
  };
}

/* The worker's script: the inflater and what it uses, from this script's own text. */
function inflaterSource() {
  return '"use strict";\n' +
    [base64Chunk, decodeColumns, blockBuffers, blockInflater, bigProjection,
      bigPlaceIndex].join("\n") +
    "\nvar receive = blockInflater(function (m, buffers) { postMessage(m, buffers); });\n" +
    "onmessage = function (e) { receive(e.data); };\n";
}

/* The blocks being read: BIG_BLOCKS.get(node) is { id, sent: base64 characters handed over,
   done: all of them handed over, settled: the inflater answered, asked: the inflater was asked
   for it, resolve, reject, inflated: Promise of the block's columns (decodeColumns), read: null
   until readBlock }. */
var BIG_BLOCKS = new Map();
var bigInflater = null; /* { send(message) } */

/* The inflater, made once: in a worker where the browser allows it, else on this thread. When
   the worker fails, the blocks it had not finished are read again on this thread. */
function inflater() {
  if (bigInflater) return bigInflater;
  var local = null;
  function deliver(m) {
    BIG_BLOCKS.forEach(function (b) {
      if (b.id !== m.id) return;
      if (m.error) b.reject(new Error(m.error));
      else b.resolve(m.block);
    });
  }
  function onThisThread() {
    local = local || blockInflater(deliver);
    return local;
  }
  try {
    var url = URL.createObjectURL(new Blob([inflaterSource()], { type: "text/javascript" }));
    var worker = new Worker(url);
    worker.onmessage = function (e) { deliver(e.data); };
    worker.onerror = function (e) {
      e.preventDefault();
      worker.terminate();
      bigInflater.send = function (m) { onThisThread()(m); };
      BIG_BLOCKS.forEach(function (b, node) {
        if (b.settled) return;
        b.sent = 0;
        b.done = false;
        feedBlock(node);
        if (b.asked) bigInflater.send({ id: b.id, read: true });
      });
    };
    bigInflater = { send: function (m) { worker.postMessage(m); } };
  } catch (error) {
    bigInflater = { send: function (m) { onThisThread()(m); } };
  }
  return bigInflater;
}

/* Hand the inflater what is new of node's base64 text; all of it once the element is complete
   (the parser has gone past it). Returns the block's record. */
function feedBlock(node) {
  var b = BIG_BLOCKS.get(node);
  if (!b) {
    b = { id: BIG_BLOCKS.size, sent: 0, done: false, settled: false, asked: false, read: null };
    b.inflated = new Promise(function (resolve, reject) {
      b.resolve = function (block) { b.settled = true; resolve(block); };
      b.reject = function (error) { b.settled = true; reject(error); };
    });
    b.inflated.catch(function () {}); /* its reader sees the error, read before or after */
    BIG_BLOCKS.set(node, b);
  }
  if (b.done) return b;
  var text = node.textContent, complete = !!node.nextSibling || document.readyState !== "loading";
  var end = complete ? text.length : text.length - text.length % 4, send = inflater().send;
  while (end - b.sent >= BIG_SLICE || (complete && !b.done)) {
    var to = Math.min(end, b.sent + BIG_SLICE);
    b.done = complete && to === end;
    send({ id: b.id, text: text.slice(b.sent, to), last: b.done });
    b.sent = to;
  }
  return b;
}

/* While the page loads, hand the blocks' texts to the inflater as the parser adds them, and
   read each head (the tail is inflated once its head is read, see readColumns: before that it
   would only take the processor from the head and the page). */
function watchBlocks() {
  if (document.readyState !== "loading" || typeof DecompressionStream === "undefined" ||
    typeof MutationObserver === "undefined") return;
  var watch = new MutationObserver(function () {
    var data = document.querySelector("script[data-encoding]");
    if (data && data.getAttribute("data-encoding") !== "columns") {
      watch.disconnect(); /* a page of JSON data: nothing to watch */
      return;
    }
    document.querySelectorAll("script[data-tail]").forEach(function (head) {
      readBlock(head);
      var tail = document.getElementById(head.getAttribute("data-tail"));
      if (tail) feedBlock(tail);
    });
  });
  watch.observe(document, { childList: true, characterData: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { watch.disconnect(); });
}
watchBlocks();

/* A block's JSON and columns (decodeColumns), with its string table cut from its UTF-8 by the
   lengths in "strings" (decoded at once: faster than JSON). */
function blockStrings(block) {
  var out = block.out, lengths = out.strings, strings = new Array(lengths.length), pos = 0;
  var text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(block.utf8);
  for (var k = 0; k < lengths.length; k++) {
    strings[k] = text.slice(pos, pos + lengths[k]);
    pos += lengths[k];
  }
  out.strings = strings;
  if (block.world) BIG_WORLD.set(out, block.world);
  return out;
}

/* Ask the inflater for node's block, once (its strings are cut when readBlock asks). */
function askBlock(node) {
  var b = feedBlock(node);
  if (!b.asked) {
    b.asked = true;
    inflater().send({ id: b.id, read: true });
  }
  return b;
}

/* Node's block read (blockStrings), once: a Promise. */
function readBlock(node) {
  var b = askBlock(node);
  if (!b.read) {
    b.read = b.inflated.then(blockStrings);
    b.read.catch(function () {}); /* as b.inflated */
  }
  return b.read;
}

/* The protests' ids from the tail's columns (columns.ID_PARTS): prefix, number (-1: none) and
   suffix, the prefixes and suffixes as indices into strings. All of them when the tail is read
   (about 0.2 s for a million), not when one is first asked for: the first popup puts its
   protest's id in the address and should not wait for them. */
function joinIds(t, strings) {
  var pre = t.id_pre, num = t.id_num, suf = t.id_suf, ids = new Array(num.length);
  for (var i = 0; i < ids.length; i++) {
    ids[i] = strings[pre[i]] + (num[i] < 0 ? "" : num[i]) + strings[suf[i]];
  }
  delete t.id_pre;
  delete t.id_num;
  delete t.id_suf;
  return ids;
}

/* A "columns" data element: { head: Promise, rest: function } as readData's. The tail's strings
   are appended to the head's (its indices count on that); summary becomes the texts, and the
   ids are put together (joinIds). */
function readColumns(node) {
  var head = readBlock(node), rest = null; /* usually read by now (watchBlocks) */
  var tailNode = document.getElementById(node.getAttribute("data-tail"));
  /* the tail inflated once the head is read: in the worker, while this thread draws the map */
  head.then(function () { if (tailNode) askBlock(tailNode); }, function () {});
  return {
    head: head,
    rest: function () {
      rest = rest || head.then(function (d) {
        return readBlock(tailNode).then(function (t) {
          var strings = d.strings, k;
          for (k = 0; k < t.strings.length; k++) strings.push(t.strings[k]);
          delete t.strings;
          ["summary"].forEach(function (key) {  /* columns.TAIL_OWN: indices to texts */
            var at = t[key], texts = new Array(at.length);
            for (var j = 0; j < texts.length; j++) texts[j] = strings[at[j]];
            t[key] = texts;
          });
          t.id = joinIds(t, strings);
          return t;
        });
      });
      return rest;
    }
  };
}

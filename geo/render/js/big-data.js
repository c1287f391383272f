/* big-data.js: the payload of a large map, as geo/render/columns.py writes it: two deflated
   blocks of typed columns and JSON, the head (to draw) and the tail (report texts and what only
   popups show, read when the first popup or details() asks for it). */

var COLUMN_TYPES = { u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array,
  i32: Int32Array };

/* A block's base64 text inflated, as an ArrayBuffer (decoded at once where the browser can:
   Uint8Array.fromBase64 is several times faster than atob). */
function inflateBase64(text) {
  var bytes = Uint8Array.fromBase64 ? new Blob([Uint8Array.fromBase64(text)]).stream() :
    base64Bytes(text);
  return new Response(bytes.pipeThrough(new DecompressionStream("deflate"))).arrayBuffer();
}

/* A block: its JSON, with each column of its "columns" list put in as a typed array (sums of
   differences undone, quantised coordinates back in degrees), and its string table. */
function decodeBlock(buffer) {
  var size = new DataView(buffer).getUint32(0, true);
  var out = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
  var at = 4 + size;
  out.columns.forEach(function (c) {
    var Type = COLUMN_TYPES[c[1]], count = c[2], scale = c[4];
    var values = new Type(buffer, at, count);
    at += Math.ceil(count * Type.BYTES_PER_ELEMENT / 4) * 4;
    if (c[3]) {
      var sums = scale ? new Float64Array(count) : new Int32Array(count), sum = 0;
      for (var i = 0; i < count; i++) {
        sum += values[i];
        sums[i] = scale ? sum / scale : sum;
      }
      values = sums;
    }
    out[c[0]] = values;
  });
  /* the string table: its UTF-8 decoded at once, cut by the lengths in "strings" */
  var text = new TextDecoder("utf-8", { ignoreBOM: true })
    .decode(new Uint8Array(buffer, at, out.utf8));
  var lengths = out.strings, strings = new Array(lengths.length), pos = 0;
  for (var k = 0; k < lengths.length; k++) {
    strings[k] = text.slice(pos, pos + lengths[k]);
    pos += lengths[k];
  }
  out.strings = strings;
  delete out.columns;
  delete out.utf8;
  return out;
}

/* A "columns" data element: { head: Promise, rest: function } as readData's. The tail's strings
   are appended to the head's (its indices count on that); summary and id become the texts. */
function readColumns(node) {
  var head = inflateBase64(node.textContent).then(decodeBlock), rest = null;
  return {
    head: head,
    rest: function () {
      rest = rest || head.then(function (d) {
        var tail = document.getElementById(node.getAttribute("data-tail"));
        return inflateBase64(tail.textContent).then(function (buffer) {
          var t = decodeBlock(buffer), strings = d.strings, k;
          for (k = 0; k < t.strings.length; k++) strings.push(t.strings[k]);
          delete t.strings;
          ["summary", "id"].forEach(function (key) {  /* columns.TAIL_OWN: indices to texts */
            var at = t[key], texts = new Array(at.length);
            for (var j = 0; j < texts.length; j++) texts[j] = strings[at[j]];
            t[key] = texts;
          });
          return t;
        });
      });
      return rest;
    }
  };
}

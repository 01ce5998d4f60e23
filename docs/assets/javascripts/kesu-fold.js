/* kesu-fold: Traditional characters folded to Simplified, one code point at a time, so that a query
 * typed in either script meets the index (generator/fold.py folds the index the same way).
 *
 * Classic script: in the browser (or a worker after importScripts of kesu-fold-map.js and this
 * file) it defines self.kesuFold(text); in Node, require() returns { makeFold, fold }.
 */
(function (root) {
  "use strict";

  // pairs: "TSTS..." as kesu-fold-map.js holds it; code points, so characters beyond the BMP count once.
  function makeFold(pairs) {
    var map = new Map();
    var chars = Array.from(pairs);
    for (var i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
    return function fold(text) {
      var out = "";
      // for...of walks code points; a lone surrogate comes through as itself, unchanged.
      for (var char of String(text)) out += map.has(char) ? map.get(char) : char;
      return out;
    };
  }

  var pairs = typeof root.KESU_FOLD_PAIRS === "string" ? root.KESU_FOLD_PAIRS : null;
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { makeFold: makeFold, fold: pairs === null ? null : makeFold(pairs) };
  } else {
    root.kesuFold = makeFold(pairs || "");
  }
})(typeof self !== "undefined" ? self : this);

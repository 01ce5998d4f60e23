/* kesu: mermaid on demand, from the site itself.
 *
 * Material draws a page's flowcharts with the global `mermaid`, and fetches mermaid from a public
 * CDN only when none is defined (a call centre's closed network may not reach it). Loading the real
 * file (3.5 MB, assets/javascripts/mermaid.min.js, installed by `make assets`) on every page would
 * hold up every page, search included, so this stand-in takes Material's two calls and loads the
 * real file only when a page has a chart to draw: initialize() is remembered, render() loads it.
 */
(function () {
  "use strict"
  if (typeof window.mermaid !== "undefined") return
  var source = new URL("javascripts/mermaid.min.js", document.currentScript.src).href
  var settings = null, loading = null

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script")
        script.src = source
        script.onload = function () {
          if (settings) window.mermaid.initialize(settings)
          resolve(window.mermaid)
        }
        script.onerror = function () { reject(new Error("kesu: cannot load " + source)) }
        document.head.appendChild(script)
      })
    }
    return loading
  }

  window.mermaid = {
    initialize: function (config) { settings = config },
    render: function (id, text) {
      return load().then(function (real) { return real.render(id, text) })
    }
  }
})()

/* Draws the dashboard's ageing chart from the options the page carries in data-options. */
(function () {
  var el = document.getElementById("ageing-chart");
  if (el && window.echarts) {
    echarts.init(el).setOption(JSON.parse(el.dataset.options));
  }
})();

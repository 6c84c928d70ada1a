// Draws every dashboard chart from the ECharts options its element carries (data-options),
// so the page itself holds no script. Redraws at the new size when the window changes.
(function () {
  "use strict";
  function draw() {
    var drawn = [];
    document.querySelectorAll(".chart[data-options]").forEach(function (element) {
      var chart = echarts.init(element);
      chart.setOption(JSON.parse(element.dataset.options));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (chart) { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

// A chart per metric: the closed windows' min-max band and mean (from the twin's retained windows), and the latest
// values as they arrive. Drawn by Apache ECharts (embedded from its package; no chart code of our own).
export function metricChart(container, metric) {
  if (!window.echarts) return { windows() {}, latest() {}, dispose() {} };
  const chart = window.echarts.init(container, null, { renderer: 'svg' });
  let windows = [];
  const latest = [];
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);

  // A time axis over one point (or a few seconds) would span days: show at least a minute around the data.
  function range() {
    const times = [...windows.map(w => Date.parse(w.end)), ...latest.map(([ts]) => Date.parse(ts))];
    if (!times.length) return {};
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const pad = Math.max(0, 60000 - (last - first)) / 2;
    return pad > 0 ? { min: first - pad, max: last + pad } : {};
  }

  function draw() {
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: `${metric}: window min, max and mean, and the latest values` } },
      grid: { left: 48, right: 16, top: 28, bottom: 28 },
      legend: { top: 0, data: ['mean', 'latest'] },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', splitNumber: 3, axisLabel: { hideOverlap: true }, ...range() },
      yAxis: { type: 'value', scale: true },
      series: [
        { name: 'min', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: windows.map(w => [w.end, w.min]) },
        { name: 'range', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.25 }, data: windows.map(w => [w.end, w.max - w.min]) },
        { name: 'mean', type: 'line', symbol: 'none', data: windows.map(w => [w.end, w.mean]) },
        { name: 'latest', type: 'line', showSymbol: true, symbolSize: 4, data: latest },
      ],
    }, { notMerge: true });
  }

  draw();
  return {
    windows(list) { windows = list; draw(); },
    latest(ts, value) {
      if (latest.length && latest[latest.length - 1][0] === ts) return;
      latest.push([ts, value]);
      if (latest.length > 300) latest.shift();
      draw();
    },
    dispose() { window.removeEventListener('resize', resize); chart.dispose(); },
  };
}

// A cluster's /metrics: the shards' Prometheus texts added up series by series, so counters,
// histograms and the gauges (queue depth, runs in flight) read as one runtime's.

/** Sums samples of the same series; comments and the order of series come from the first text. */
export function sumMetrics(texts: readonly string[]): string {
  const order: string[] = [];
  const sums = new Map<string, number>();
  for (const [i, text] of texts.entries()) {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('#')) {
        if (i === 0) order.push(line);
        continue;
      }
      const cut = line.lastIndexOf(' ');
      const series = line.slice(0, cut);
      const value = Number(line.slice(cut + 1));
      const seen = sums.get(series);
      if (seen === undefined) order.push(series);
      sums.set(series, (seen ?? 0) + (Number.isFinite(value) ? value : 0));
    }
  }
  const lines = order.map((item) => {
    const sum = sums.get(item);
    return sum === undefined ? item : `${item} ${sum}`;
  });
  return lines.join('\n') + '\n';
}

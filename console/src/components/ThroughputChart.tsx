import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Sample {
  /** Seconds since the page started watching. */
  at: number;
  /** Records per second since the previous sample. */
  rate: number;
}

/** Records per second from the samples the page collected while it watched the run. */
export function ThroughputChart({ samples }: { samples: Sample[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const data: uPlot.AlignedData = [samples.map((s) => s.at), samples.map((s) => s.rate)];
    if (!plot.current && host.current) {
      plot.current = new uPlot(
        {
          width: Math.min(640, host.current.clientWidth || 640),
          height: 200,
          // Seconds since the page opened, not wall-clock time: a run lasts seconds to hours.
          scales: { x: { time: false } },
          series: [{ label: 's' }, { label: 'records/s', stroke: '#1f5fa8', width: 2 }],
          axes: [{ label: 'seconds watched' }, { label: 'records/s' }],
        },
        data,
        host.current,
      );
    } else plot.current?.setData(data);
  }, [samples]);
  useEffect(() => () => plot.current?.destroy(), []);
  return (
    <figure class="chart">
      <div ref={host} role="img" aria-label={`Throughput chart, ${samples.length} samples, latest ${samples.at(-1)?.rate.toFixed(0) ?? 0} records per second`} />
      <figcaption>Throughput (records per second) while this page watched the run</figcaption>
    </figure>
  );
}

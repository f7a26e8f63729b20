/** A native progress element, so assistive technology reads its value. */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div class="progress">
      <progress max={100} value={percent} aria-label={label} data-percent={percent.toFixed(1)} />
      <span>{percent.toFixed(1)} %</span>
    </div>
  );
}

/** An API error or an action's outcome, announced to screen readers. */
export function Notice({ error, status }: { error?: string | undefined; status?: { ok: boolean; text: string } | undefined }) {
  if (error) return <p class="notice error" role="alert">{error}</p>;
  if (status) return <p class={`notice ${status.ok ? 'ok' : 'error'}`} role={status.ok ? 'status' : 'alert'}>{status.text}</p>;
  return null;
}

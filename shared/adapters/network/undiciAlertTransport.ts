import { fetch } from 'undici';
import type { AlertPostResult, AlertTransport } from '../../ports/alertTransport.js';
import type { OutboundGuard } from '../../connectors/http/outboundGuard.js';
import { DestinationRefusedError } from '../../connectors/http/destinationRefusedError.js';

/**
 * Alerts over undici, through the outbound guard's shared agent: the alert URL passed the check
 * at save, but its name may resolve elsewhere now.
 */
export class UndiciAlertTransport implements AlertTransport {
  constructor(private readonly outbound: OutboundGuard) {}

  async post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<AlertPostResult> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
        dispatcher: this.outbound.dispatcher,
      });
      // The answer is the status; not reading the body frees the connection at once.
      await response.body?.cancel().catch(() => undefined);
      const retryAfter = response.headers.get('retry-after');
      return { answered: true, status: response.status, ...(retryAfter === null ? {} : { retryAfter }) };
    } catch (error) {
      return unanswered(error);
    }
  }
}

/** The failure's code only: fetch's messages may name the URL. */
function unanswered(error: unknown): AlertPostResult {
  const outer = error instanceof Error ? error : undefined;
  if (outer?.cause instanceof DestinationRefusedError) return { answered: false, code: outer.cause.code, retriable: false };
  const cause = (outer?.cause as { code?: unknown } | undefined)?.code;
  const code = outer?.name === 'TimeoutError' ? 'timeout' : typeof cause === 'string' ? cause : 'network_error';
  return { answered: false, code, retriable: true };
}

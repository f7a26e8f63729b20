/**
 * Pure: one server-sent event (text/event-stream). Data is one line of JSON, so no payload can
 * break the framing with a newline of its own.
 */
export const serverSentEvent = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The events of `source` as a response body, each encoded when it comes; a cancelled body stops the source. */
export function eventStreamBody<T>(source: AsyncIterable<T>, frame: (item: T) => string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(frame(next.value)));
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
}

import { app } from '@azure/functions';

/**
 * Turns on HTTP streaming for the whole app (a worker-wide setting, read once at start): answers
 * whose body is a stream then reach the client as they are written rather than when they end —
 * what server-sent events need. The Functions host (4.28+) and the local host (dev/host) both
 * carry requests and answers through the library's HTTP proxy then.
 */
app.setup({ enableHttpStream: true });

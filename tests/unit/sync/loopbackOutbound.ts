import { OutboundGuard } from '../../../shared/connectors/http/outboundGuard.js';
import { SystemHostResolver } from '../../../shared/adapters/network/systemHostResolver.js';
import { parseOutboundAllowList } from '../../../shared/core/security/outboundAllowList.js';

/** The outbound guard of tests whose fakes listen on 127.0.0.1: that address allowed explicitly, the rest as in production. */
export function loopbackOutbound(): OutboundGuard {
  return new OutboundGuard(parseOutboundAllowList('127.0.0.1').allowList, new SystemHostResolver());
}

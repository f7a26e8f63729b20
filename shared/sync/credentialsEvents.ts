import type { AuthRefusal } from '../core/schemas/execution.js';

/**
 * What a connection's credentials just showed, told to the executions room without a call into
 * it: connections and write-backs sit below executions, which read them. runtime.ts wires the
 * executions room's answer (executions/authPause.ts).
 */
export interface CredentialsEvents<Deps> {
  /** New credentials were saved for an existing connection, and the provider did not refuse them. */
  renewed(deps: Deps, tenantId: string, connectionId: string): Promise<void>;
  /** The provider refused the connection's credentials outside a run's own calls (a write-back). */
  refused(deps: Deps, tenantId: string, connectionId: string, refusal: AuthRefusal): Promise<void>;
}

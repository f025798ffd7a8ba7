/** Messages between a sync test and a device agent process (test/sync/agent.ts), over IPC. */
export type AgentCommand =
  | { cmd: 'login'; username: string; password: string }
  /** Starts or stops the device's sync engine (a network partition of one device). */
  | { cmd: 'online'; on: boolean }
  /**
   * Registers `count` patients through the router, as fast as it can, taking an advance payment
   * from every `paymentEvery`-th one (0: none); answers with what it wrote (Registered).
   */
  | { cmd: 'register'; count: number; prefix: string; paymentEvery?: number }
  /** Pushes and pulls until idle (throws if not connected). */
  | { cmd: 'syncNow' }
  | { cmd: 'state' }
  /** Arms a SIGKILL of this very process inside the transaction that inserts the n-th `table` row from now. */
  | { cmd: 'dieOnInsert'; table: string; afterRows: number }
  | { cmd: 'exit' };

export interface AgentState {
  deviceId: string;
  status: { state: string; pending: number; rejected: number; lastError: string | null };
  pullCursor: number;
  checksums: Record<string, { count: number; hash: string }>;
  /** Ids of every patient row on this device. */
  patientIds: string[];
  /** Rows in the patient search index (kept in the same transactions as the patients). */
  searchIndexed: number;
  /** change_log rows: how many, and how many are acknowledged. */
  outbox: { total: number; pushed: number; rejected: number };
}

export interface Registered {
  patients: string[];
  payments: { id: string; paise: number }[];
}

export type AgentReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type AgentEvent = { event: 'ready'; deviceId: string };

export interface AgentOptions {
  dataDir: string;
  /** Keep the sync engine stopped from the first moment (no pull before the test says so). */
  offline: boolean;
  skewMs: number;
}

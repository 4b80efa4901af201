/** What order-service's consumers need besides the event itself. */
export interface ConsumerDeps {
  readonly sagaTimeoutMs: number;
}

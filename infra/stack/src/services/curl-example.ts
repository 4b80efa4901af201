import type { StackConfig } from '../stack-config';
import type { ServiceLauncher } from './launcher';

/** A copy-paste shell session: seed a product and an account, place an order, read its saga. */
export function curlExample(cfg: StackConfig, launcher: ServiceLauncher): string {
  const [order, inventory, payment] = (['order', 'inventory', 'payment'] as const).map((s) => launcher.url(s));
  const admin = `-H 'Authorization: Bearer ${cfg.adminToken}'`;
  const json = `-H 'Content-Type: application/json'`;
  return [
    `curl -s -X PUT ${inventory}/products/demo-widget ${admin} ${json} \\`,
    `  -d '{"name":"Demo widget","priceCents":1299,"available":10}'; echo`,
    `curl -s -X PUT ${payment}/accounts/alice ${admin} ${json} -d '{"balanceCents":10000}'; echo`,
    `sleep 1   # the product reaches order-service's catalog through outbox → Debezium → Kafka`,
    `ORDER_ID=$(curl -s -X POST ${order}/orders ${json} -H "Idempotency-Key: demo-$(date +%s%N)" \\`,
    `  -d '{"customerId":"alice","items":[{"sku":"demo-widget","quantity":2}]}' | sed -E 's/.*"orderId":"([^"]+)".*/\\1/'); echo "order $ORDER_ID"`,
    `sleep 1; curl -s ${order}/orders/$ORDER_ID; echo`,
    `curl -s ${payment}/payments/$ORDER_ID; echo; curl -s ${inventory}/products/demo-widget; echo; curl -s ${payment}/accounts/alice; echo`,
  ].join('\n');
}

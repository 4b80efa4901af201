"""Schemathesis hooks for e2e/api/schemathesis.e2e.spec.ts.

Random skus are unknown to order-service, so a generated POST /orders would only ever be refused
422 and the stateful phase would never follow its links (placeOrder -> getOrder -> cancelOrder).
Generated orders get the sku the test stocked instead (the examples phase still sends an unknown
one); the swap keeps a valid sku valid and leaves an invalid one as it was, so negative cases stay
negative.
"""
import os
import re

import schemathesis

SKU = os.environ["CHOREO_FUZZ_SKU"]
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~:@+-]*$")


@schemathesis.hook
def map_body(context, body):
    if context.operation is None or context.operation.path != "/orders" or not isinstance(body, dict):
        return body
    items = body.get("items")
    if not isinstance(items, list):
        return body
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("sku"), str) and IDENTIFIER.match(item["sku"]):
            item["sku"] = SKU
    return body

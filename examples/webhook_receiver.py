"""A receiver of SoRi's webhooks: each delivery is verified with the Standard Webhooks library, then its event printed.

SORI_WEBHOOK_SECRET=whsec_… PORT=8000 python examples/webhook_receiver.py
"""

import json
import os

import uvicorn
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

webhook = Webhook(os.environ["SORI_WEBHOOK_SECRET"])  # as the subscription's answer showed it


async def receive(request: Request) -> Response:
    try:  # the raw body as it came: parsed and dumped again, it would no longer match its signature
        event = webhook.verify(await request.body(), dict(request.headers))
    except WebhookVerificationError as refused:  # a wrong signature, or sent more than 5 minutes ago (a replay)
        return Response(str(refused), status_code=400)
    print(json.dumps(event), flush=True)
    return Response(status_code=204)  # any 2xx: SoRi retries anything else, with backoff


app = Starlette(routes=[Route("/", receive, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), access_log=False)

"""The practical ceiling for the list endpoint: Starlette + psycopg 3, no ORM, no validation.

Serves the same query as `GET /api/items?limit=20` (a page and the total), so the benchmark can
report how close the generated app comes to the fastest honest Python implementation.
"""

import json
import os
from contextlib import asynccontextmanager

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

pool = AsyncConnectionPool(os.environ["DATABASE_URL"], min_size=1, max_size=10, open=False)


async def list_items(request: Request) -> Response:
    limit = int(request.query_params.get("limit", "20"))
    async with pool.connection() as connection:
        cursor = connection.cursor(row_factory=dict_row)
        await cursor.execute("SELECT count(*) AS total FROM items")
        total = (await cursor.fetchone())["total"]
        await cursor.execute(
            "SELECT id, title, description, done, created_at, updated_at FROM items"
            " ORDER BY id DESC LIMIT %s",
            (limit,),
        )
        items = await cursor.fetchall()
    body = json.dumps({"items": items, "total": total, "limit": limit, "offset": 0}, default=str)
    return Response(body, media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette):
    await pool.open()
    yield
    await pool.close()


app = Starlette(routes=[Route("/api/items", list_items)], lifespan=lifespan)

"""The practical ceiling of the item routes: Starlette + asyncpg, no ORM, no validation, no layers.

Does the database work the app's routes must do, in the fewest round trips: find the session of
the cookie (one indexed query, as the app's session check), then one page of the user's items with
their total (`GET /api/items`) or one insert (`POST /api/items`). The bench reports the generated
app's figures as a fraction of this server's, measured in the same run under the same uvicorn flags.
"""

import hashlib
import json
import os
import uuid
from contextlib import asynccontextmanager

import asyncpg
import uuid_utils
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SESSION = """
    SELECT sessions.user_id FROM sessions JOIN users ON users.id = sessions.user_id
    WHERE sessions.token_hash = $1 AND users.is_active
      AND sessions.last_seen_at > now() - interval '7 days'
      AND sessions.created_at > now() - interval '30 days'
"""
PAGE = """
    SELECT id::text, title, description, done, created_at, updated_at, count(*) OVER () AS total
    FROM items WHERE owner_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
"""
INSERT = """
    INSERT INTO items (id, owner_id, title, description, done) VALUES ($1, $2, $3, $4, false)
    RETURNING id::text, title, description, done, created_at, updated_at
"""
pool: asyncpg.Pool | None = None


async def signed_in_user(connection: asyncpg.Connection, request: Request) -> object | None:
    token = request.cookies.get("__Host-session") or request.cookies.get("session") or ""
    return await connection.fetchval(SESSION, hashlib.sha256(token.encode()).digest())


def json_response(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body, default=str), status, media_type="application/json")


async def items(request: Request) -> Response:
    async with pool.acquire() as connection:
        user_id = await signed_in_user(connection, request)
        if user_id is None:
            return json_response({"detail": "Log in to continue."}, 401)
        if request.method == "POST":
            item = await request.json()
            item_id = uuid.UUID(bytes=uuid_utils.uuid7().bytes)
            description = item.get("description", "")
            row = await connection.fetchrow(INSERT, item_id, user_id, item["title"], description)
            return json_response(dict(row), 201)
        limit = int(request.query_params.get("limit", "20"))
        offset = int(request.query_params.get("offset", "0"))
        rows = await connection.fetch(PAGE, user_id, limit, offset)
    page = [dict(row) for row in rows]
    total = page[0].pop("total") if page else 0
    for row in page[1:]:
        del row["total"]
    return json_response({"items": page, "total": total, "limit": limit, "offset": offset})


@asynccontextmanager
async def lifespan(app: Starlette):
    global pool
    url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=10)
    yield
    await pool.close()


async def livez(request: Request) -> Response:
    return Response("ok")


app = Starlette(
    routes=[Route("/api/items", items, methods=["GET", "POST"]), Route("/livez", livez)],
    lifespan=lifespan,
)

"""Fill the development database with sample rows built by the test factories (`just db_seed`)."""

import argparse
import asyncio

from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import get_engine
from app.settings import get_settings
from tests.factories import ItemFactory


async def seed(count: int) -> None:
    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        session.add_all(ItemFactory.batch(count))
        await session.commit()
    await get_engine().dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=25, help="how many items to create")
    arguments = parser.parse_args()
    if get_settings().is_production:
        parser.error("refusing to seed a production database")
    asyncio.run(seed(arguments.count))
    print(f"seeded {arguments.count} items")


if __name__ == "__main__":
    main()

"""polyfactory factories: one per table, building valid rows with realistic values."""

from polyfactory import Use
from polyfactory.factories.pydantic_factory import ModelFactory

from app.models.item import Item


class ItemFactory(ModelFactory[Item]):
    __check_model__ = False
    # Ids come from the model's TypeID factory, timestamps from the database.
    __use_defaults__ = True

    title = Use(lambda: ItemFactory.__faker__.sentence(nb_words=4).rstrip("."))
    description = Use(lambda: ItemFactory.__faker__.paragraph(nb_sentences=2)[:2000])
    done = Use(lambda: ItemFactory.__faker__.boolean(chance_of_getting_true=25))

"""Grouping stories by topic, and the URLs topics get."""

from hypothesis import given
from hypothesis import strategies as st

from diplomatic_wire.story import Entity
from diplomatic_wire.topics import Topic, TopicStories, entity_topic, index_topics, sorted_topics

KE = Entity("country", "KE", "Kenya", code="KE")
CN = Entity("country", "CN", "China", code="CN")
US = Entity("country", "US", "United States", code="US")
RUTO = Entity("person", "William Ruto", "William Ruto", roles=("President",), country="KE")


def test_topic_urls_are_stable_slugs():
    assert Topic("country", "KE", "Kenya").url == "countries/ke/"
    assert Topic("person", "António Guterres", "António Guterres").url == "people/antonio-guterres/"
    assert Topic("organization", "FOCAC", "Forum on China-Africa Cooperation").url == "organizations/focac/"
    assert Topic("person", "../../etc", "x").url == "people/etc/"


def test_index_keeps_story_order_and_counts_roles_and_neighbours():
    stories = {"s1": (KE, CN, RUTO), "s2": (KE, US), "s3": (KE, CN)}
    index = index_topics(stories, entities_of=stories.get)
    kenya = index[("country", "ke")]
    assert kenya.stories == ["s1", "s2", "s3"]
    assert [(t.key, n) for t, n in kenya.related_topics()] == [("CN", 2), ("US", 1)]
    assert index[("person", "william-ruto")].roles == {"President": 1}
    assert [t.topic.key for t in sorted_topics(index, "country")] == ["CN", "KE", "US"]


def test_category_topics_come_from_the_callback():
    stories = {"s1": (KE,)}
    index = index_topics(stories, stories.get, category_of=lambda s: Topic("category", "news", "News"))
    assert index[("category", "news")].stories == ["s1"]


def test_a_category_made_for_each_story_is_one_topic():
    stories = {f"s{i}": (KE,) for i in range(50)}
    index = index_topics(stories, stories.get, category_of=lambda s: Topic("category", "news", "News"))
    assert index[("category", "news")].stories == list(stories)
    assert len(index) == 2


def test_topics_made_already_index_as_the_entities_do():
    accented = Entity("person", "Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan", roles=("President",))
    plain = Entity("person", "Recep Tayyip Erdogan", "Recep Tayyip Erdogan", roles=("Leader",))
    stories = {"s1": (KE, CN, accented), "s2": (plain, KE, US), "s3": (accented, plain, CN)}
    topics = {story: [entity_topic(e) for e in entities] for story, entities in stories.items()}
    made = index_topics(stories, stories.get, topics_of=topics.get)
    assert made == index_topics(stories, stories.get)
    assert made[("person", "recep-tayyip-erdogan")].stories == ["s1", "s2", "s3"]
    assert made[("country", "ke")].related == {Topic("country", "CN", "China"): 1, Topic("country", "US", "United States"): 1}


def test_spellings_with_one_slug_are_one_topic():
    accented = Entity("person", "Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan", roles=("President",))
    plain = Entity("person", "Recep Tayyip Erdogan", "Recep Tayyip Erdogan", roles=("President",))
    stories = {"s1": (accented,), "s2": (plain, accented)}
    index = index_topics(stories, stories.get)
    [person] = [t for t in index.values() if t.topic.kind == "person"]
    assert person.topic.url == "people/recep-tayyip-erdogan/"
    assert person.stories == ["s1", "s2"]
    assert person.roles == {"President": 3}


def test_names_without_a_latin_slug_still_get_distinct_urls():
    first, second = Topic("person", "☮☮", "☮☮"), Topic("person", "★★", "★★")
    assert first.url != second.url and first.url.startswith("people/topic-")


def _index_plainly(stories, entities_of):
    """``index_topics`` written the plain way: each co-mentioned country
    counted in its Counter as met."""
    index = {}
    for story in stories:
        entities = list(entities_of(story))
        items = []
        for topic in (entity_topic(e) for e in entities):
            items.append(index.setdefault((topic.kind, topic.slug), TopicStories(topic)))
        countries = [item.topic for entity, item in zip(entities, items) if entity.kind == "country"]
        for entity, item in zip(entities, items):
            if not item.stories or item.stories[-1] is not story:
                item.stories.append(story)
            for role in entity.roles:
                item.roles[role] += 1
            if entity.kind == "country":
                for country in countries:
                    if country != item.topic:
                        item.related[country] += 1
    return index


# Two spellings of one country (one slug), and people sharing a slug too.
_POOL = [KE, CN, US, Entity("country", "KE", "Republic of Kenya", code="KE"), RUTO,
         Entity("person", "William  Ruto", "William  Ruto", roles=("Head of State",), country="KE"),
         Entity("organization", "AU", "African Union", alternate_name="AU")]


@given(st.lists(st.lists(st.sampled_from(_POOL), max_size=6), max_size=30))
def test_the_index_is_the_plain_count_in_the_same_order(entity_lists):
    stories = {f"s{number}": tuple(entities) for number, entities in enumerate(entity_lists)}
    index = index_topics(stories, stories.get)
    expected = _index_plainly(stories, stories.get)
    assert list(index) == list(expected)
    for key, item in index.items():
        assert item.topic == expected[key].topic
        assert item.stories == expected[key].stories
        assert list(item.roles.items()) == list(expected[key].roles.items())
        assert list(item.related.items()) == list(expected[key].related.items())

/*
 * test_syncobj.c: the table of semaphores and barriers (syncobj.h).
 *
 * Every claimed address is found again with the state it was published in;
 * a claim of a BUSY record fails (a racing writer: the caller gives up, it
 * never waits); past 3/4 of the slots a new address first takes a destroyed
 * record's slot on its path (forgetting it, never a live one); past 7/8,
 * with nothing to reuse, it is refused, which says the sync-objects limit
 * and marks the table as having missed an init (the "never initialised"
 * check then stays off).
 */
#include "check.h"
#include "limit.h"
#include "syncobj.h"

static uintptr_t addr_of(uint32_t i)
{
	return (uintptr_t)0x7e0000000000ull + (uintptr_t)i * 32;
}

int main(void)
{
	uint32_t prev;
	lc_syncobj *o = lc_syncobj_claim(addr_of(1), &prev);
	CHECK(o && prev == LC_SYNCOBJ_BUSY, "a new address gets a fresh record");
	CHECK(lc_syncobj_find(addr_of(1)) == o &&
		      atomic_load(&o->state) == LC_SYNCOBJ_BUSY,
	      "an unpublished record is found, BUSY");
	CHECK(lc_syncobj_claim(addr_of(1), &prev) == NULL,
	      "a BUSY record cannot be claimed again");
	lc_syncobj_publish(o, LC_SYNCOBJ_LIVE);
	lc_syncobj *again = lc_syncobj_claim(addr_of(1), &prev);
	CHECK(again == o && prev == LC_SYNCOBJ_LIVE,
	      "a live record is claimed in place, its state told");
	lc_syncobj_publish(o, LC_SYNCOBJ_DESTROYED);
	CHECK(lc_syncobj_find(addr_of(2)) == NULL, "an unknown address: NULL");
	CHECK(!lc_syncobj_missed(), "nothing missed yet");

	/* Fill to 3/4: every address found again. */
	uint32_t fill = LC_SYNCOBJ_SLOTS / 4 * 3;
	int lost = 0;
	for (uint32_t i = 2; i <= fill; i++) {
		lc_syncobj *r = lc_syncobj_claim(addr_of(i), &prev);
		if (!r) {
			lost++;
			continue;
		}
		/* Every other one destroyed: slots to reuse later. */
		lc_syncobj_publish(r, i % 2 ? LC_SYNCOBJ_DESTROYED
					    : LC_SYNCOBJ_LIVE);
	}
	CHECK(lost == 0, "3/4 of the slots take new addresses");
	int wrong = 0;
	for (uint32_t i = 2; i <= fill; i++) {
		lc_syncobj *r = lc_syncobj_find(addr_of(i));
		wrong += !r || atomic_load(&r->state) !=
				       (i % 2 ? LC_SYNCOBJ_DESTROYED
					      : LC_SYNCOBJ_LIVE);
	}
	CHECK(wrong == 0, "every record found with its state");

	/* Past 3/4: new addresses are all tracked, some in the slots of
	 * destroyed records (which are then forgotten), never a live one's. */
	int failed = 0, unfound = 0, forgotten = 0, live_lost = 0;
	for (uint32_t i = fill + 1; i <= fill + 1000; i++) {
		lc_syncobj *r = lc_syncobj_claim(addr_of(i), &prev);
		if (!r) {
			failed++;
			continue;
		}
		unfound += lc_syncobj_find(addr_of(i)) != r;
		lc_syncobj_publish(r, LC_SYNCOBJ_LIVE);
	}
	for (uint32_t i = 2; i <= fill; i++) {
		forgotten += i % 2 && !lc_syncobj_find(addr_of(i));
		live_lost += !(i % 2) && !lc_syncobj_find(addr_of(i));
	}
	CHECK(failed == 0 && unfound == 0 && forgotten > 0 && live_lost == 0,
	      "past 3/4, destroyed records' slots are reused first");
	CHECK(!lc_limit_was_reached(LC_LIMIT_SYNC_OBJECTS) &&
		      !lc_syncobj_missed(),
	      "no limit while there is room");

	/* Every record live: new addresses fill up to 7/8, then are
	 * refused. */
	for (uint32_t i = 1; i <= fill + 1000; i++) {
		lc_syncobj *x = lc_syncobj_find(addr_of(i));
		if (x && atomic_load(&x->state) == LC_SYNCOBJ_DESTROYED)
			atomic_store(&x->state, LC_SYNCOBJ_LIVE);
	}
	uint32_t i = fill + 1001;
	while (i < 2 * LC_SYNCOBJ_SLOTS && lc_syncobj_claim(addr_of(i), &prev))
		i++;
	CHECK(i < 2 * LC_SYNCOBJ_SLOTS,
	      "full of live records: a new address is not tracked");
	CHECK(lc_limit_was_reached(LC_LIMIT_SYNC_OBJECTS) &&
		      lc_syncobj_missed(),
	      "the limit is said and the table has missed an init");
	CHECK_DONE();
}

/*
 * glib_bitlock_abba: GLib bit locks in a lock-order cycle, and the bits
 * that must not be confused.
 *
 * An object's state word carries two bit locks (bits 0 and 1, each a lock
 * of its own: g_bit_lock) and a list head a pointer bit lock (bit 0 of the
 * pointer: g_pointer_bit_lock). Thread 1 takes the list's pointer bit lock
 * then the table GMutex; thread 2, after it (told through a GCond), takes
 * the table GMutex then the list's pointer bit lock: an inversion.
 * Both threads also take state bit 0 then state bit 1 (always in that
 * order), and try bit 1 while holding... nothing else: no finding.
 *
 * MUST REPORT: exactly one lock-order-inversion, over the pointer bit lock
 * (the static `list_head`, named with its bit: list_head:bit0) and `table`;
 * the two bits of `state` are two locks (nesting one inside the other is
 * not a relock) taken in one order: clean.
 */
#include <glib.h>
#include <stdio.h>

static volatile gint state;      /* bit 0: the header, bit 1: the body */
static gpointer volatile list_head; /* bit 0 of the pointer: the list */
GMutex table;
static GMutex gate;
static GCond gate_cond;
static int first_done, counter;

static void both_state_bits(void)
{
	g_bit_lock(&state, 0);
	g_bit_lock(&state, 1);
	counter++;
	g_bit_unlock(&state, 1);
	g_bit_unlock(&state, 0);
	if (g_bit_trylock(&state, 1)) /* a try adds no edge */
		g_bit_unlock(&state, 1);
}

__attribute__((noinline)) void list_then_table(void)
{
	g_pointer_bit_lock(&list_head, 0);
	g_mutex_lock(&table);
	counter++;
	g_mutex_unlock(&table);
	g_pointer_bit_unlock(&list_head, 0);
}

__attribute__((noinline)) void table_then_list(void)
{
	g_mutex_lock(&table);
	g_pointer_bit_lock(&list_head, 0);
	counter++;
	g_pointer_bit_unlock(&list_head, 0);
	g_mutex_unlock(&table);
}

static gpointer thread1(gpointer arg)
{
	both_state_bits();
	list_then_table();
	g_mutex_lock(&gate);
	first_done = 1;
	g_cond_signal(&gate_cond);
	g_mutex_unlock(&gate);
	return NULL;
}

static gpointer thread2(gpointer arg)
{
	g_mutex_lock(&gate);
	while (!first_done)
		g_cond_wait(&gate_cond, &gate);
	g_mutex_unlock(&gate);
	both_state_bits();
	table_then_list();
	return NULL;
}

int main(void)
{
	GThread *t1 = g_thread_new("first", thread1, NULL);
	GThread *t2 = g_thread_new("second", thread2, NULL);
	g_thread_join(t1);
	g_thread_join(t2);
	printf("glib_bitlock_abba: counter=%d\n", counter);
	return 0;
}

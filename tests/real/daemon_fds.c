/*
 * daemon_fds: a program that closes every descriptor it did not open, as
 * daemons do, and then takes the numbers over for files of its own, while
 * the shim has its log open (tests/real/daemon_fds.sh).
 *
 * Like daemon(3) it changes directory to / (the test gives the shim a
 * relative log_path, which must still name the same log after that); then
 * it closes descriptors 3 to 1023, opens DIR/data (which gets 3), and dup2s
 * it onto 256 as well (the number the shim moves its log to: a program
 * with fixed descriptor numbers, as bash keeps 255, could take it). Then
 * two threads make an AB-BA inversion, a finding the shim must write to its
 * log, not to either of those descriptors (they are the program's file
 * now). Last it writes a line of its own through both, reads the file back
 * and prints it: natively and under the shim, the file holds its two lines
 * and nothing else. Before all that, main nests one mutex in another, so
 * the shim has walked a stack (and libunwind set up what it keeps) before
 * the descriptors are closed; after, a socket pair at the freed numbers
 * carries "hello" each way across the AB-BA's stack walks, and must arrive
 * whole: libunwind once read a byte out of such a socket and wrote a NUL
 * into it, through the pipe it validates addresses with (lib/stack.c). With
 * a second argument, it first deletes that file (the test passes the
 * shim's log: a program cleaning its directory).
 */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;

static void *take_a_then_b(void *arg)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	sem_post(&first_done);
	return arg;
}

static void *take_b_then_a(void *arg)
{
	sem_wait(&first_done);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	return arg;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: daemon_fds DIR [DELETE]\n");
		return 2;
	}
	if (argc == 3)
		unlink(argv[2]);
	pthread_mutex_lock(&outer);
	pthread_mutex_lock(&inner);
	pthread_mutex_unlock(&inner);
	pthread_mutex_unlock(&outer);
	if (chdir("/") != 0)
		return 3;
	char path[4096];
	snprintf(path, sizeof path, "%s/data", argv[1]);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	int data = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (data != 3 || dup2(data, 256) != 256) {
		fprintf(stderr, "daemon_fds: data file at %d\n", data);
		return 3;
	}

	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0 ||
	    write(pair[0], "hello", 5) != 5 || write(pair[1], "hello", 5) != 5)
		return 3;

	pthread_t x, y;
	sem_init(&first_done, 0, 0);
	pthread_create(&x, NULL, take_a_then_b, NULL);
	pthread_create(&y, NULL, take_b_then_a, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);

	const char *mine = "written through 3\n", *also = "written through 256\n";
	if (write(3, mine, strlen(mine)) < 0 || write(256, also, strlen(also)) < 0)
		return 4;
	close(3);
	close(256);
	FILE *f = fopen(path, "r");
	if (!f)
		return 5;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	printf("data file, %zu bytes:\n%s", n, buf);
	for (int i = 0; i < 2; i++) {
		char got[16] = { 0 };
		shutdown(pair[1 - i], SHUT_WR);
		ssize_t k = read(pair[i], got, sizeof got);
		printf("socket %d: %zd bytes, %s\n", i,
		       k, k == 5 && memcmp(got, "hello", 5) == 0 ? "hello" : "changed");
	}
	return 0;
}

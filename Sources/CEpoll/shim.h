// epoll(7) for the socket load generator (`charley bench socket`): Swift's Glibc module does
// not bring in <sys/epoll.h>.
#include <sys/epoll.h>

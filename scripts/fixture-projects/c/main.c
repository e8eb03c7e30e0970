#include <stdio.h>
#include "stats.h"

int main(int argc, char **argv) {
    int values[] = {3, 9, 4, 7};
    int n = (int)(sizeof values / sizeof values[0]);
    (void)argv;
    printf("sum=%ld max=%d\n", stats_sum(values, n), stats_max(values, n));
    printf("grade(80)=%s grade(95)=%s\n", stats_grade(80), stats_grade(95));
    if (argc > 1) {
        printf("grade(10)=%s\n", stats_grade(10));
    }
    return 0;
}

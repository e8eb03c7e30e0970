#ifndef STATS_H
#define STATS_H
long stats_sum(const int *values, int n);
int stats_max(const int *values, int n);
int stats_min(const int *values, int n);
const char *stats_grade(int score);
#endif

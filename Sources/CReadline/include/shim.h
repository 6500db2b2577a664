// GNU readline for Charley's terminal front end. Readline's state is global C state; everything
// that touches it lives in shim.c, so the Swift side stays free of shared mutable globals.
#ifndef CHARLEY_READLINE_SHIM_H
#define CHARLEY_READLINE_SHIM_H

#include <stdio.h>
#include <signal.h>
#include <readline/readline.h>
#include <readline/history.h>

/// Catch SIGINT, SIGTERM and SIGWINCH as flags; the read loop acts on them.
void charley_install_signal_flags(void);
int charley_take_signal(void);
/// Replaces the words Tab completes (commands and the pending question's answers).
void charley_set_completions(const char *const *words, int count);
void charley_setup(const char *name, int history_limit);
void charley_begin_line(const char *prompt);
int charley_line_is_ready(void);
/// The line read (malloc'd; the caller frees it), or NULL at end of input (Ctrl-D).
char *charley_take_line(void);
int charley_line_length(void);
/// Ctrl-C: drop what was typed and start a fresh prompt.
void charley_cancel_line(void);
void charley_end_reading(void);
void charley_resize(void);
void charley_flush_output(void);

#endif

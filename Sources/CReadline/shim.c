// GNU readline for Charley's terminal front end: readline's state, and Charley's beside it, in
// one place (a header's `static` variables would be a separate copy in every file that imports it).
#include "shim.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static volatile sig_atomic_t charley_pending_signal = 0;
static char *charley_line = NULL;
static int charley_line_ready = 0;
static char **charley_words = NULL;
static int charley_word_count = 0;

static void charley_on_signal(int signal) { charley_pending_signal = signal; }

/// Catch SIGINT, SIGTERM and SIGWINCH as flags; the read loop acts on them.
void charley_install_signal_flags(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = charley_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGWINCH, &action, NULL);
}

int charley_take_signal(void) {
    int signal = charley_pending_signal;
    charley_pending_signal = 0;
    return signal;
}

static char *charley_word_generator(const char *text, int state) {
    static int index;
    static size_t length;
    if (!state) { index = 0; length = strlen(text); }
    while (index < charley_word_count) {
        const char *word = charley_words[index++];
        if (strncasecmp(word, text, length) == 0) return strdup(word);
    }
    return NULL;
}

static char **charley_complete(const char *text, int start, int end) {
    (void)start; (void)end;
    rl_attempted_completion_over = 1;  // never fall back to file names
    return rl_completion_matches(text, charley_word_generator);
}

/// Replaces the words Tab completes (commands and the pending question's answers).
void charley_set_completions(const char *const *words, int count) {
    for (int i = 0; i < charley_word_count; i++) free(charley_words[i]);
    free(charley_words);
    charley_words = count > 0 ? (char **)calloc((size_t)count, sizeof(char *)) : NULL;
    charley_word_count = count;
    for (int i = 0; i < count; i++) charley_words[i] = strdup(words[i]);
}

static void charley_line_handler(char *line) {
    charley_line = line;
    charley_line_ready = 1;
    rl_callback_handler_remove();
}

void charley_setup(const char *name, int history_limit) {
    rl_readline_name = name;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_basic_word_break_characters = "\n";  // complete whole lines ("a few minutes", "/help")
    rl_attempted_completion_function = charley_complete;
    stifle_history(history_limit);
}

void charley_begin_line(const char *prompt) {
    charley_line = NULL;
    charley_line_ready = 0;
    rl_callback_handler_install(prompt, charley_line_handler);
}

int charley_line_is_ready(void) { return charley_line_ready; }

/// The line read (malloc'd; the caller frees it), or NULL at end of input (Ctrl-D).
char *charley_take_line(void) {
    char *line = charley_line;
    charley_line = NULL;
    charley_line_ready = 0;
    return line;
}

int charley_line_length(void) { return rl_end; }

/// Ctrl-C: drop what was typed and start a fresh prompt.
void charley_cancel_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    rl_crlf();
}

void charley_end_reading(void) {
    rl_callback_handler_remove();
}

void charley_resize(void) { rl_resize_terminal(); }

void charley_flush_output(void) { fflush(stdout); }


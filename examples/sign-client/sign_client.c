/*
 * Reference client for the CCSP sign status endpoint (docs/sign-protocol.md).
 *
 * What a sign's firmware does on each poll, in portable C99 over POSIX sockets:
 * one HTTP/1.0 GET for /api/sign/v1/status.txt, the key=value variant, so that no
 * JSON library is needed. (The JSON variant, /api/sign/v1/status, needs a parser:
 * cJSON, or jsmn where memory is tight; its fields and limits are the same.)
 *
 * The response is read into one fixed buffer of 1024 bytes, as on an ESP8266,
 * and anything that does not fit is refused rather than truncated.
 *
 * Usage: sign_client HOST PORT [TOKEN] [ETAG]
 *   TOKEN  sent as "Authorization: Bearer TOKEN"; "" or "-" for none
 *   ETAG   the ETag of the last response ("3" or "\"3\""), sent as If-None-Match
 *
 * Prints one summary line and one detail line on 200 and exits 0; prints
 * "not-modified" on 304 and exits 2; prints "error ..." and exits 1 otherwise.
 *
 * Build: make (or cc -std=c99 -Wall -Wextra -Werror -O2 -o sign_client sign_client.c)
 */
#define _POSIX_C_SOURCE 200112L

#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define RESPONSE_MAX 1024
#define REQUEST_MAX 512
#define TXT_MAX 64 /* docs/sign-protocol.md: txt is at most 64 printable ASCII characters */
#define LABEL_MAX 16 /* fbo, fbc */
#define TIMEOUT_S 10

enum exit_code { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_NOT_MODIFIED = 2 };

/* One bit per field, so that a response missing any of them is refused. */
enum field {
  F_V, F_SEQ, F_T, F_TZ, F_POLL, F_VALID, F_ON, F_MODE, F_BRI, F_COL,
  F_FX, F_SPD, F_WK, F_FBO, F_FBC, F_PWR, F_TXT, F_COUNT
};
static const char *const FIELD_NAMES[F_COUNT] = {
  "v", "seq", "t", "tz", "poll", "valid", "on", "mode", "bri", "col",
  "fx", "spd", "wk", "fbo", "fbc", "pwr", "txt"
};

struct sign_status {
  unsigned long seen; /* bit (1 << enum field) per field received */
  unsigned v;
  uint32_t seq;       /* goes up on each change of what is shown; 0 = never seen */
  long long t;        /* server time, Unix seconds */
  long tz;            /* offset from UTC in seconds */
  unsigned poll;      /* seconds until the next poll */
  unsigned long valid; /* seconds the content stays valid, on the uptime counter */
  int on;
  char mode[8];       /* open, closed, info, off */
  unsigned bri;       /* 0-255 */
  char col[7];        /* RRGGBB */
  uint32_t rgb;
  char fx[8];         /* static, scroll, blink */
  unsigned spd;       /* columns per second; 0 unless scrolling */
  int wk[7][2];       /* Monday first: first opening, last closing, minutes; [0,0] closed */
  char fbo[LABEL_MAX + 1];
  char fbc[LABEL_MAX + 1];
  char pwr[5];        /* ok, eco, crit */
  char txt[TXT_MAX + 1];
};

static int fail(const char *what, const char *detail) {
  printf("error %s%s%s\n", what, detail ? " " : "", detail ? detail : "");
  return EXIT_ERROR;
}

/* Case-insensitive prefix test for header names (no strncasecmp in strict C99). */
static int has_prefix_ci(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++) {
    char a = *s, b = *prefix;
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (a != b) return 0;
  }
  return 1;
}

static int printable_ascii(const char *s) {
  for (; *s; s++)
    if (*s < ' ' || *s > '~') return 0;
  return 1;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out) {
  char *end;
  unsigned long n;
  if (*s < '0' || *s > '9') return 0;
  errno = 0;
  n = strtoul(s, &end, 10);
  if (errno || *end || n > max) return 0;
  *out = n;
  return 1;
}

static int parse_long(const char *s, long long min, long long max, long long *out) {
  char *end;
  long long n;
  if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9'))) return 0;
  errno = 0;
  n = strtoll(s, &end, 10);
  if (errno || *end || n < min || n > max) return 0;
  *out = n;
  return 1;
}

static int copy_word(char *dst, size_t size, const char *src, const char *const *allowed) {
  size_t n = strlen(src);
  if (n >= size || !printable_ascii(src)) return 0;
  if (allowed) {
    for (; *allowed; allowed++)
      if (strcmp(*allowed, src) == 0) break;
    if (!*allowed) return 0;
  }
  memcpy(dst, src, n + 1);
  return 1;
}

static const char *const MODES[] = {"open", "closed", "info", "off", NULL};
static const char *const EFFECTS[] = {"static", "scroll", "blink", NULL};
static const char *const POWER[] = {"ok", "eco", "crit", NULL};

/* One key=value line; unknown keys are ignored, so that later fields do not break old firmware. */
static int parse_field(struct sign_status *s, const char *key, char *value) {
  unsigned long u;
  long long n;
  int f, i;
  for (f = 0; f < F_COUNT; f++)
    if (strcmp(key, FIELD_NAMES[f]) == 0) break;
  if (f == F_COUNT) return 1;
  switch (f) {
  case F_V:
    if (!parse_ulong(value, 1, &u) || u != 1) return 0;
    s->v = (unsigned)u;
    break;
  case F_SEQ:
    if (!parse_ulong(value, 0xFFFFFFFFUL, &u)) return 0;
    s->seq = (uint32_t)u;
    break;
  case F_T:
    if (!parse_long(value, 0, 0x7FFFFFFFFFFFLL, &n)) return 0;
    s->t = n;
    break;
  case F_TZ:
    if (!parse_long(value, -50400, 50400, &n)) return 0;
    s->tz = (long)n;
    break;
  case F_POLL:
    if (!parse_ulong(value, 3600, &u) || u < 10) return 0;
    s->poll = (unsigned)u;
    break;
  case F_VALID:
    if (!parse_ulong(value, 86400, &u)) return 0;
    s->valid = u;
    break;
  case F_ON:
    if (!parse_ulong(value, 1, &u)) return 0;
    s->on = (int)u;
    break;
  case F_MODE:
    if (!copy_word(s->mode, sizeof s->mode, value, MODES)) return 0;
    break;
  case F_BRI:
    if (!parse_ulong(value, 255, &u)) return 0;
    s->bri = (unsigned)u;
    break;
  case F_COL:
    if (strlen(value) != 6 || strspn(value, "0123456789ABCDEFabcdef") != 6) return 0;
    s->rgb = (uint32_t)strtoul(value, NULL, 16);
    memcpy(s->col, value, 7);
    break;
  case F_FX:
    if (!copy_word(s->fx, sizeof s->fx, value, EFFECTS)) return 0;
    break;
  case F_SPD:
    if (!parse_ulong(value, 1000, &u)) return 0;
    s->spd = (unsigned)u;
    break;
  case F_WK: {
    /* 14 numbers: Monday open, Monday close, Tuesday open, ... Sunday close. */
    char *cursor = value;
    for (i = 0; i < 14; i++) {
      char *comma = strchr(cursor, ',');
      if ((comma == NULL) != (i == 13)) return 0;
      if (comma) *comma = '\0';
      if (!parse_ulong(cursor, 1440, &u)) return 0;
      s->wk[i / 2][i % 2] = (int)u;
      if (comma) cursor = comma + 1;
    }
    break;
  }
  case F_FBO:
    if (!copy_word(s->fbo, sizeof s->fbo, value, NULL)) return 0;
    break;
  case F_FBC:
    if (!copy_word(s->fbc, sizeof s->fbc, value, NULL)) return 0;
    break;
  case F_PWR:
    if (!copy_word(s->pwr, sizeof s->pwr, value, POWER)) return 0;
    break;
  case F_TXT:
    /* txt comes last and runs to the end of its line: it may hold "=". */
    if (!copy_word(s->txt, sizeof s->txt, value, NULL)) return 0;
    break;
  default:
    return 1;
  }
  s->seen |= 1UL << f;
  return 1;
}

/* The body: "key=value" lines ending in "\n" (a "\r" before it is tolerated). */
static int parse_body(struct sign_status *s, char *body) {
  char *line = body;
  int f;
  memset(s, 0, sizeof *s);
  while (*line) {
    char *eol = strchr(line, '\n');
    char *eq;
    if (!eol) return fail("body", "(last line has no newline)");
    *eol = '\0';
    if (eol > line && eol[-1] == '\r') eol[-1] = '\0';
    eq = strchr(line, '=');
    if (!eq) return fail("body", "(a line without '=')");
    *eq = '\0';
    if (!parse_field(s, line, eq + 1)) {
      printf("error field %s\n", line);
      return EXIT_ERROR;
    }
    line = eol + 1;
  }
  for (f = 0; f < F_COUNT; f++)
    if (!(s->seen & (1UL << f))) {
      printf("error missing %s\n", FIELD_NAMES[f]);
      return EXIT_ERROR;
    }
  return EXIT_OK;
}

static void print_status(const struct sign_status *s, const char *etag) {
  const char *c;
  int d;
  printf("seq=%lu mode=%s on=%d bri=%u col=%s fx=%s txt=\"", (unsigned long)s->seq, s->mode, s->on,
         s->bri, s->col, s->fx);
  for (c = s->txt; *c; c++) printf(*c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
  printf("\"\n");
  printf("etag=%s t=%lld tz=%ld poll=%u valid=%lu spd=%u pwr=%s fbo=%s fbc=%s wk=", etag, s->t, s->tz,
         s->poll, s->valid, s->spd, s->pwr, s->fbo, s->fbc);
  for (d = 0; d < 7; d++) printf("%s%d-%d", d ? "," : "", s->wk[d][0], s->wk[d][1]);
  printf("\n");
}

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints, *list, *ai;
  struct timeval timeout;
  int fd = -1;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &list) != 0) return -1;
  timeout.tv_sec = TIMEOUT_S;
  timeout.tv_usec = 0;
  for (ai = list; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    /* A box that stops answering must not hang the sign: give up, keep the last content. */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(list);
  return fd;
}

static int send_all(int fd, const char *data, size_t n) {
  while (n > 0) {
    ssize_t sent = send(fd, data, n, 0);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return 0;
    data += sent;
    n -= (size_t)sent;
  }
  return 1;
}

/* The value of a header (NAME in lower case) in the NUL-terminated header block, or NULL. */
static const char *find_header(char *headers, const char *name) {
  char *line = headers;
  size_t n = strlen(name);
  while (*line) {
    char *eol = strstr(line, "\r\n");
    if (!eol) eol = line + strlen(line);
    if (has_prefix_ci(line, name) && line[n] == ':') {
      char *value = line + n + 1;
      while (*value == ' ' || *value == '\t') value++;
      return value;
    }
    line = *eol ? eol + 2 : eol;
  }
  return NULL;
}

int main(int argc, char **argv) {
  static char response[RESPONSE_MAX + 1];
  char request[REQUEST_MAX];
  char etag[24] = "";
  char quoted[24];
  const char *token = argc > 3 && argv[3][0] && strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
  const char *if_none_match = argc > 4 && argv[4][0] ? argv[4] : NULL;
  const char *cl, *te, *tag;
  char *header_end, *body, *line;
  size_t used = 0, body_len = 0;
  unsigned long content_length = 0;
  struct sign_status status;
  int fd, n, code, have_length = 0, complete = 0;

  if (argc < 3 || argc > 5) {
    fprintf(stderr, "usage: %s HOST PORT [TOKEN] [ETAG]\n", argv[0]);
    return EXIT_ERROR;
  }
  /* Both go into header lines: no spaces or control characters, or the request could be forged. */
  if ((token && (!printable_ascii(token) || strchr(token, ' '))) ||
      (if_none_match && (!printable_ascii(if_none_match) || strchr(if_none_match, ' '))))
    return fail("usage", "(TOKEN and ETAG are printable ASCII without spaces)");

  /* A bare ETAG (3) is quoted ("3"), as the server sends it. */
  if (if_none_match) {
    n = snprintf(quoted, sizeof quoted, if_none_match[0] == '"' ? "%s" : "\"%s\"", if_none_match);
    if (n < 0 || (size_t)n >= sizeof quoted) return fail("usage", "(ETAG too long)");
  }
  /* HTTP/1.0: the server closes after one response and never chunks. Host is optional in 1.0 but cheap. */
  n = snprintf(request, sizeof request,
               "GET /api/sign/v1/status.txt HTTP/1.0\r\nHost: %s:%s\r\n%s%s%s%s%s%s\r\n", argv[1], argv[2],
               token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
               if_none_match ? "If-None-Match: " : "", if_none_match ? quoted : "",
               if_none_match ? "\r\n" : "");
  if (n < 0 || (size_t)n >= sizeof request) return fail("usage", "(request too long)");

  fd = connect_to(argv[1], argv[2]);
  if (fd < 0) return fail("connect", argv[1]);
  if (!send_all(fd, request, strlen(request))) {
    close(fd);
    return fail("send", NULL);
  }
  /* Read until the server closes, or until the headers and Content-Length bytes are in. */
  for (;;) {
    ssize_t got;
    if (used == RESPONSE_MAX) {
      char extra;
      got = recv(fd, &extra, 1, 0);
      if (got > 0) {
        close(fd);
        return fail("too-large", "(response over 1024 bytes)");
      }
      break;
    }
    got = recv(fd, response + used, RESPONSE_MAX - used, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      close(fd);
      return fail("receive", errno == EAGAIN || errno == EWOULDBLOCK ? "(timeout)" : NULL);
    }
    if (got == 0) break;
    used += (size_t)got;
    response[used] = '\0';
    header_end = strstr(response, "\r\n\r\n");
    if (header_end && !complete) {
      /* Only a peek: the headers are parsed properly below. */
      const char *p = response;
      while ((p = strchr(p, '\n')) != NULL && p < header_end) {
        p++;
        if (has_prefix_ci(p, "content-length:")) {
          unsigned long want = strtoul(p + 15, NULL, 10);
          if ((size_t)(header_end + 4 - response) + want <= used) complete = 1;
        }
      }
      if (complete) break;
    }
  }
  close(fd);
  response[used] = '\0';

  /* Status line: "HTTP/1.0 200 OK" or "HTTP/1.1 200 OK" (the server may answer 1.1 to a 1.0 request). */
  if (used < 12 || strncmp(response, "HTTP/1.", 7) != 0 || response[8] != ' ' ||
      sscanf(response + 9, "%3d", &code) != 1)
    return fail("status-line", NULL);
  header_end = strstr(response, "\r\n\r\n");
  if (!header_end) return fail("headers", "(incomplete)");
  *header_end = '\0';
  body = header_end + 4;
  body_len = used - (size_t)(body - response);
  if (strlen(body) != body_len) return fail("body", "(NUL byte)");
  line = strstr(response, "\r\n");
  line = line ? line + 2 : header_end;

  te = find_header(line, "transfer-encoding");
  if (te) return fail("chunked", "(the protocol never chunks)");
  tag = find_header(line, "etag");
  if (tag) {
    size_t len = strcspn(tag, "\r");
    if (len >= sizeof etag) return fail("etag", "(too long)");
    memcpy(etag, tag, len);
    etag[len] = '\0';
  }
  if (code == 304) {
    printf("not-modified\n");
    return EXIT_NOT_MODIFIED;
  }
  cl = find_header(line, "content-length");
  if (cl) {
    char *end;
    content_length = strtoul(cl, &end, 10);
    have_length = end != cl && (*end == '\r' || *end == '\0');
  }
  if (code != 200) {
    /* 400, 401 and 503 carry "err=" and "t=" lines; a sign may still take t as its clock. */
    const char *err = strstr(body, "err=");
    printf("error %d", code);
    if (err) printf(" %.*s", (int)strcspn(err, "\r\n"), err);
    printf("\n");
    return EXIT_ERROR;
  }
  if (!have_length) return fail("content-length", "(missing)");
  if (content_length != body_len) return fail("content-length", "(does not match the body)");
  if (parse_body(&status, body) != EXIT_OK) return EXIT_ERROR;
  print_status(&status, etag);
  return EXIT_OK;
}

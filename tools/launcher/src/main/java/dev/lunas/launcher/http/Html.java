package dev.lunas.launcher.http;

/** Escaping for the launcher's pages, which show text that customers typed (names, mail bodies). */
public final class Html {

    private Html() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A complete page in the launcher's one plain style. */
    public static String page(String title, String body) {
        return page(title, body, "");
    }

    /** A page that reloads itself, for lists that grow while a person watches. */
    public static String refreshingPage(String title, String body, int seconds) {
        return page(title, body, "<meta http-equiv=\"refresh\" content=\"" + seconds + "\">");
    }

    private static String page(String title, String body, String extraHead) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">%s
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                  body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:56rem;padding:0 1rem;color:#1d2733}
                  h1{font-size:1.4rem} table{border-collapse:collapse;width:100%%} td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #dde3ea;vertical-align:top}
                  .muted{color:#6b7785} .box{border:1px solid #dde3ea;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
                  button{font-size:1rem;padding:.6rem 1.1rem;margin:.25rem .5rem .25rem 0;border-radius:6px;border:1px solid #9aa7b4;background:#f4f7fa;cursor:pointer}
                  button.primary{background:#0b6cda;color:#fff;border-color:#0b6cda} pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.75rem;border-radius:6px}
                  iframe{width:100%%;min-height:28rem;border:1px solid #dde3ea;border-radius:6px}
                </style></head>
                <body>%s</body></html>
                """.formatted(extraHead, escape(title), body);
    }
}

package com.jodoerp.bridge.system;

/** JDBC URLs, and the HTTP targets' URLs, as they may be shown in a log or a start-up report. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    /** The URL without what may carry a login: user info before a host, and parameters (after ';' or '?'). */
    public static String shown(String url) {
        return url.replaceAll("//[^/@?;]*@", "//").replaceAll("[;?].*", "");
    }
}

package com.jodoerp.bridge.system;

import java.util.Locale;

/**
 * The known name nearest to one given, for a start-up error about a typo ({@code read-timout}, {@code targts}):
 * names compare whatever their case, dashes and underscores, as Spring's relaxed binding reads them.
 */
public final class NearestName {

    private NearestName() {
    }

    /** {@code "; did you mean <name>?"} when a known name is a few edits away, else empty. */
    public static String suggestion(String given, Iterable<String> known) {
        String nearest = of(given, known);
        return nearest == null ? "" : "; did you mean " + nearest + "?";
    }

    /** The known name a few edits away from the one given, or null when none is that near. */
    public static String of(String given, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int distance = distance(normal(given), normal(name));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, given.length() / 3) ? best : null;
    }

    public static String normal(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Levenshtein distance: edits from one name to the other. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}

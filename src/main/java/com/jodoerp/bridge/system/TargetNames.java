package com.jodoerp.bridge.system;

import java.util.regex.Pattern;

/**
 * A target's name names its folders, routes, metrics and rows, so it is kept plain. Checked on the name as written in
 * the settings (UnknownSettings: Spring would drop a '/' from a map key) and as bound (TargetCatalog).
 */
public final class TargetNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private TargetNames() {
    }

    /** What is wrong with the name, or null. */
    public static String problem(String name) {
        return NAME.matcher(name).matches() ? null
                : "a target name is lower-case letters, digits and '-' (at most 63), got '" + name + "'";
    }
}

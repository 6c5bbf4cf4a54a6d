package com.jodoerp.bridge.support;

import java.util.ArrayList;
import java.util.List;

/** Every order of a few events, for the tests that deliver them in each order and expect one end state. */
public final class Permutations {

    private Permutations() {
    }

    public static List<List<String>> of(List<String> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<String>> all = new ArrayList<>();
        for (String head : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(head);
            for (List<String> tail : of(rest)) {
                List<String> order = new ArrayList<>(List.of(head));
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }
}

package com.jodoerp.bridge.canonical;

import static com.jodoerp.bridge.canonical.JodoValues.absent;
import static com.jodoerp.bridge.canonical.JodoValues.date;
import static com.jodoerp.bridge.canonical.JodoValues.keyValues;
import static com.jodoerp.bridge.canonical.JodoValues.text;
import static com.jodoerp.bridge.canonical.JodoValues.year;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The people on a record: the {@code student} Jodo knows, or the {@code payer} of a Pay order. */
final class PartyBlocks {

    private PartyBlocks() {
    }

    static JsonNode student(JsonNode student) {
        if (absent(student)) {
            return NullNode.instance;
        }
        String at = "payload.student";
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("identifier", text(student.get("identifier"), at + ".identifier"));
        block.set("custom_identifier", text(student.get("custom_identifier"), at + ".custom_identifier"));
        block.set("collector_code", text(student.get("collector_code"), at + ".collector_code"));
        block.set("fullname", text(student.get("fullname"), at + ".fullname"));
        block.set("grade", grade(student.get("grade"), at + ".grade"));
        block.set("academic_year_start", year(student.get("academic_year_start"), at + ".academic_year_start"));
        block.set("academic_year_end", year(student.get("academic_year_end"), at + ".academic_year_end"));
        block.set("contact_number", text(student.get("primary_contact_number"), at + ".primary_contact_number"));
        block.set("contact_email", text(student.get("primary_contact_email"), at + ".primary_contact_email"));
        block.set("notes", keyValues(student.get("notes"), at + ".notes"));
        return block;
    }

    /** Pay orders, hosted pages and payment links need not name a Jodo student: the payer is on the order. */
    static JsonNode payer(JsonNode order) {
        if (absent(order)) {
            return NullNode.instance;
        }
        String at = "payload.order";
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("name", text(order.get("name"), at + ".name"));
        block.set("phone", text(order.get("phone"), at + ".phone"));
        block.set("email", text(order.get("email"), at + ".email"));
        block.set("identifier", text(order.get("identifier"), at + ".identifier"));
        block.set("custom_identifier", text(order.get("custom_identifier"), at + ".custom_identifier"));
        block.set("student_name", text(order.get("student_name"), at + ".student_name"));
        JsonNode grade = order.get("grade");
        // A string on orders; should Jodo send the student-style object, its name is the grade.
        block.set("grade", grade != null && grade.isObject()
                ? text(grade.get("name"), at + ".grade.name") : text(grade, at + ".grade"));
        block.set("date_of_birth", date(order.get("date_of_birth"), at + ".date_of_birth"));
        block.set("new_admission", JodoValues.bool(order.get("new_admission"), at + ".new_admission"));
        block.set("academic_year_start", year(order.get("academic_year_start"), at + ".academic_year_start"));
        block.set("academic_year_end", year(order.get("academic_year_end"), at + ".academic_year_end"));
        return block;
    }

    /** An object {code, name} in student blocks; passed on as sent (the mandate examples swap the two). */
    private static JsonNode grade(JsonNode grade, String at) {
        if (absent(grade)) {
            return NullNode.instance;
        }
        ObjectNode block = JodoValues.nodes().objectNode();
        if (grade.isObject()) {
            block.set("code", text(grade.get("code"), at + ".code"));
            block.set("name", text(grade.get("name"), at + ".name"));
        } else {
            block.set("code", NullNode.instance);
            block.set("name", text(grade, at));
        }
        return block;
    }
}

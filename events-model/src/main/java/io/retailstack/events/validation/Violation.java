package io.retailstack.events.validation;

/**
 * One broken rule.
 *
 * @param path where, in the same notation as decoding errors: {@code time}, {@code data.lines[2].quantity}
 * @param message what is wrong, for people
 */
public record Violation(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}

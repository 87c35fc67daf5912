package io.retailstack.generator.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Reads {@code 2025-01-06T08:00:00Z}, an offset date-time, or a date (midnight UTC). */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a time (use e.g. 2025-01-06T08:00:00Z or 2025-01-06)");
            }
        }
    }
}

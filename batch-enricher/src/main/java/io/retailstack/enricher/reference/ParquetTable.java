package io.retailstack.enricher.reference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a flat Parquet file (as a data-lake export writes it) into the same row shape as {@link CsvTable}: column
 * name → value as text. Local files only, no Hadoop file system: {@link LocalInputFile} with a plain (non-Hadoop)
 * configuration and {@link PlainCodecFactory} (SNAPPY, ZSTD, GZIP, uncompressed). Strings, integers, floating point and decimals are supported; null becomes an empty string.
 */
public final class ParquetTable {
    private ParquetTable() {}

    public static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(PlainCodecFactory.INSTANCE)
                .build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(toRow(records.read(), schema));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> toRow(Group g, MessageType schema) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int f = 0; f < schema.getFieldCount(); f++) {
            Type field = schema.getType(f);
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (!field.isPrimitive() || g.getFieldRepetitionCount(f) == 0) {
                row.put(name, "");
                continue;
            }
            row.put(name, value(g, f, field.asPrimitiveType()));
        }
        return row;
    }

    private static String value(Group g, int f, PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
            java.math.BigInteger unscaled =
                    switch (type.getPrimitiveTypeName()) {
                        case INT32 -> java.math.BigInteger.valueOf(g.getInteger(f, 0));
                        case INT64 -> java.math.BigInteger.valueOf(g.getLong(f, 0));
                        default -> new java.math.BigInteger(g.getBinary(f, 0).getBytes());
                    };
            return new java.math.BigDecimal(unscaled, decimal.getScale()).toPlainString();
        }
        return switch (type.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getBinary(f, 0).toStringUsingUTF8();
            case INT32 -> Integer.toString(g.getInteger(f, 0));
            case INT64 -> Long.toString(g.getLong(f, 0));
            case FLOAT -> java.math.BigDecimal.valueOf(g.getFloat(f, 0)).toPlainString();
            case DOUBLE -> java.math.BigDecimal.valueOf(g.getDouble(f, 0)).toPlainString();
            case BOOLEAN -> Boolean.toString(g.getBoolean(f, 0));
            default -> g.getValueToString(f, 0);
        };
    }
}

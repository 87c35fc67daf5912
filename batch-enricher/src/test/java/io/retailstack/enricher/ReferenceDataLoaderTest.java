package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.reference.CsvTable;
import io.retailstack.enricher.reference.PlainCodecFactory;
import io.retailstack.enricher.reference.ReferenceDataLoader;
import io.retailstack.enricher.reference.ReferenceDataLoader.LoadResult;
import io.retailstack.enricher.reference.ReferenceKind;
import io.retailstack.enricher.service.ChunkListener;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.enricher.support.EnricherTestBase;
import io.retailstack.enricher.support.Scenario;
import io.retailstack.events.CloudEvent;
import jakarta.inject.Inject;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class ReferenceDataLoaderTest extends EnricherTestBase {

    @Inject
    ReferenceDataLoader loader;

    @TempDir
    Path dir;

    @AfterEach
    void restoreBundled() throws Exception {
        inTx(c -> loader.loadBundled(c));
    }

    interface TxWork<T> {
        T run(Connection c) throws Exception;
    }

    private <T> T inTx(TxWork<T> work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        }
    }

    @Test
    void shouldChangeNothingWhenTheBundledCsvIsLoadedAgain() throws Exception {
        inTx(c -> loader.loadBundled(c));
        List<LoadResult> again = inTx(c -> loader.loadBundled(c));
        long dims = inTx(c -> loader.syncDimensions(c));

        assertThat(again).extracting(LoadResult::changed).containsOnly(0L);
        assertThat(again).extracting(LoadResult::rowsRead).containsExactly(21, 110, 5);
        assertThat(dims).isZero();
        assertThat(pg.count("bi.dim_location")).isEqualTo(pg.count("ref.location") + 1);
    }

    @Test
    void shouldLoadAParquetExportAndUpsertOnlyWhatChanged() throws Exception {
        List<Map<String, String>> csv = bundled("locations.csv");
        Path same = dir.resolve("locations.parquet");
        writeLocations(same, csv);
        assertThat(inTx(c -> loader.load(c, ReferenceKind.LOCATIONS, same)).changed())
                .isZero();

        List<Map<String, String>> edited = new ArrayList<>(csv);
        Map<String, String> renamed = new java.util.LinkedHashMap<>(csv.get(0));
        renamed.put("name", "Hamburg DC (renamed)");
        edited.set(0, renamed);
        String newId = "ST-XX-" + System.nanoTime() % 100000;
        edited.add(Map.of(
                "location_id",
                newId,
                "name",
                "Pop-up store",
                "city",
                "Vienna",
                "region",
                "Vienna",
                "country",
                "AT",
                "lat",
                "48.2082",
                "lon",
                "16.3738"));
        Path changed = dir.resolve("locations-v2.parquet");
        writeLocations(changed, edited);

        LoadResult first = inTx(c -> loader.load(c, ReferenceKind.LOCATIONS, changed));
        LoadResult second = inTx(c -> loader.load(c, ReferenceKind.LOCATIONS, changed));
        inTx(c -> loader.syncDimensions(c));

        assertThat(first.rowsRead()).isEqualTo(csv.size() + 1);
        assertThat(first.changed()).isEqualTo(2);
        assertThat(second.changed()).isZero();
        Map<String, Object> dim = pg.rows("SELECT * FROM bi.dim_location WHERE location_id = '" + newId + "'")
                .get(0);
        assertThat(dim.get("city")).isEqualTo("Vienna");
        assertThat((BigDecimal) dim.get("lat")).isEqualByComparingTo("48.2082");
        assertThat(pg.one("SELECT name FROM bi.dim_location WHERE location_id = 'WH-DE-HAM'"))
                .isEqualTo("Hamburg DC (renamed)");
    }

    @Test
    void shouldReadParquetDecimalsAndSkipInvalidRows() throws Exception {
        Path products = dir.resolve("products.parquet");
        MessageType schema = MessageTypeParser.parseMessageType("message product { required binary sku (UTF8); "
                + "required binary name (UTF8); optional binary category (UTF8); optional binary brand (UTF8); "
                + "optional int64 list_price (DECIMAL(12,2)); }");
        try (ParquetWriter<Group> w = writer(products, schema)) {
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            w.write(f.newGroup()
                    .append("sku", "SKU-PQ-1")
                    .append("name", "Parquet Lamp")
                    .append("category", "Home")
                    .append("brand", "Lumo")
                    .append("list_price", 129_99L));
        }
        Path ips = dir.resolve("fraud_ips.csv");
        Files.writeString(
                ips,
                "ip_or_cidr,reason\n198.18.0.0/15,benchmark range\nnot-an-ip,typo\n10.0.0.1/8,host bits\n"
                        + "\"2001:db8:dead::/48\",\"quoted, with comma\"\n");

        LoadResult p = inTx(c -> loader.load(c, ReferenceKind.PRODUCTS, products));
        LoadResult i = inTx(c -> loader.load(c, ReferenceKind.FRAUD_IPS, ips));

        assertThat(p.changed()).isEqualTo(1);
        assertThat((BigDecimal) pg.one("SELECT list_price FROM ref.product WHERE sku = 'SKU-PQ-1'"))
                .isEqualByComparingTo("129.99");
        assertThat(i.rowsRead()).isEqualTo(4);
        assertThat(i.rejected()).isEqualTo(2);
        assertThat(pg.one("SELECT reason FROM ref.fraud_ip WHERE ip_or_cidr = '2001:db8:dead::/48'"))
                .isEqualTo("quoted, with comma");
        pg.exec("DELETE FROM ref.product WHERE sku = 'SKU-PQ-1'");
        pg.exec("DELETE FROM ref.fraud_ip WHERE source = 'fraud_ips.csv'");
    }

    @Test
    void shouldRepointFactsOfAnUnknownLocationOnceItIsLoaded() throws Exception {
        String newLoc = "ST-NEW-" + System.nanoTime() % 100000;
        String order = Scenario.newId("ORD-U");
        Instant t = Instant.now().minus(Duration.ofHours(2));
        store.store(
                Scenario.placed(
                        order, t, "WH-DE-HAM", newLoc, null, List.of(Scenario.line("SKU-LAP-001", 1, "749.00"))),
                t);
        assertThat(job.run(ShardSpec.all()).unknownLocationIds()).containsExactly(newLoc);
        assertThat(pg.one("SELECT to_location_key FROM bi.fact_order WHERE order_id = '" + order + "'"))
                .isEqualTo(-1);

        Path file = dir.resolve("more-locations.csv");
        Files.writeString(
                file,
                "location_id,name,city,region,country,lat,lon\n" + newLoc
                        + ",New Store,Leipzig,Saxony,DE,51.3397,12.3731\n");
        inTx(c -> loader.load(c, ReferenceKind.LOCATIONS, file));
        long repointed = inTx(c -> loader.syncDimensions(c));

        Object key = pg.one("SELECT location_key FROM bi.dim_location WHERE location_id = '" + newLoc + "'");
        assertThat(repointed).isGreaterThanOrEqualTo(3); // dimension member, order fact, line fact
        assertThat(pg.one("SELECT to_location_key FROM bi.fact_order WHERE order_id = '" + order + "'"))
                .isEqualTo(key);
        assertThat(pg.one("SELECT to_location_key FROM bi.fact_order_line WHERE order_id = '" + order + "'"))
                .isEqualTo(key);
        assertThat(job.run(ShardSpec.all()).totalRowsChanged()).isZero();
    }

    @Test
    void shouldRepointChunksWrittenAfterALoadThatCommittedDuringTheRun() throws Exception {
        // The run takes its dimensions at its start. A location loaded after its first chunk committed is unknown to
        // the later chunks' rows; the load re-pointed only what was committed before it.
        String newLoc = "ST-RACE-" + System.nanoTime() % 100000;
        Instant t = Instant.now().minus(Duration.ofHours(3));
        List<CloudEvent> events = new ArrayList<>();
        List<Instant> recorded = new ArrayList<>();
        List<String> skus = Scenario.bundledIds("products.csv", "sku");
        for (int i = 0; i < 96; i++) {
            Instant at = t.plusSeconds(30L * i);
            events.add(
                    i % 4 == 0
                            ? Scenario.placed(
                                    Scenario.newId("ORD-R"),
                                    at,
                                    "WH-DE-HAM",
                                    newLoc,
                                    null,
                                    List.of(Scenario.line(skus.get(i % skus.size()), 1, "10.00")))
                            : Scenario.received(skus.get(i % skus.size()), newLoc, at, 5));
            recorded.add(at);
        }
        store.storeAll(events, recorded);
        Path file = dir.resolve("race-location.csv");
        Files.writeString(
                file,
                "location_id,name,city,region,country,lat,lon\n" + newLoc
                        + ",Race Store,Leipzig,Saxony,DE,51.34,12.37\n");
        List<Integer> committedAfterLoad = new ArrayList<>();
        job.setChunkEvents(10);
        job.setChunkListener(new ChunkListener() {
            @Override
            public void beforeCommit(int chunk) {}

            @Override
            public void afterCommit(int chunk) throws Exception {
                if (chunk == 1) {
                    inTx(c -> loader.load(c, ReferenceKind.LOCATIONS, file));
                    inTx(c -> loader.syncDimensions(c));
                } else {
                    committedAfterLoad.add(chunk);
                }
            }
        });

        assertThat(job.run(ShardSpec.all()).status()).isEqualTo("SUCCEEDED");

        assertThat(committedAfterLoad).as("chunks written after the load").isNotEmpty();
        assertThat(pg.count("bi.fact_inventory_movement WHERE location_id = '" + newLoc + "'"))
                .isEqualTo(72);
        assertThat(pg.count("bi.fact_inventory_movement WHERE location_id = '" + newLoc + "' AND location_key = -1"))
                .isZero();
        assertThat(pg.count("bi.fact_order WHERE to_location_id = '" + newLoc + "'"))
                .isEqualTo(24);
        assertThat(pg.count("bi.fact_order WHERE to_location_id = '" + newLoc + "' AND to_location_key = -1"))
                .isZero();
        assertThat(pg.count("bi.fact_order_line l JOIN bi.fact_order o USING (order_id) WHERE o.to_location_id = '"
                        + newLoc + "' AND l.to_location_key = -1"))
                .isZero();
    }

    private static List<Map<String, String>> bundled(String file) throws Exception {
        try (var in = ReferenceDataLoaderTest.class.getClassLoader().getResourceAsStream("reference/" + file)) {
            return CsvTable.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    private static ParquetWriter<Group> writer(Path file, MessageType schema) throws Exception {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCodecFactory(PlainCodecFactory.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
    }

    /** What a data-lake export of the locations table looks like: strings and doubles, snappy-compressed. */
    private static void writeLocations(Path file, List<Map<String, String>> rows) throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("message location { required binary location_id "
                + "(UTF8); required binary name (UTF8); optional binary city (UTF8); optional binary region (UTF8); "
                + "optional binary country (UTF8); optional double lat; optional double lon; }");
        try (ParquetWriter<Group> w = writer(file, schema)) {
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            for (Map<String, String> r : rows) {
                Group g = f.newGroup()
                        .append("location_id", r.get("location_id"))
                        .append("name", r.get("name"))
                        .append("city", r.get("city"))
                        .append("region", r.get("region"))
                        .append("country", r.get("country"));
                g.append("lat", Double.parseDouble(r.get("lat")));
                g.append("lon", Double.parseDouble(r.get("lon")));
                w.write(g);
            }
        }
    }
}

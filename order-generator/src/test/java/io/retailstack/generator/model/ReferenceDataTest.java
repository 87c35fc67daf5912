package io.retailstack.generator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceDataTest {

    @Test
    void bundledFilesHaveTheContractHeadersAndRealisticSizes() throws IOException {
        ReferenceData data = ReferenceData.bundled();
        assertThat(data.locations()).hasSizeBetween(15, 30);
        assertThat(data.products()).hasSizeBetween(90, 130);
        assertThat(data.fraudIps()).isNotEmpty();
        assertThat(data.locations().stream().map(Location::country).collect(Collectors.toSet()))
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(data.locations().stream().filter(Location::isWarehouse)).isNotEmpty();
        for (String[] file : new String[][] {
            {ReferenceData.LOCATIONS_FILE, ReferenceData.LOCATIONS_HEADER},
            {ReferenceData.PRODUCTS_FILE, ReferenceData.PRODUCTS_HEADER},
            {ReferenceData.FRAUD_IPS_FILE, ReferenceData.FRAUD_IPS_HEADER}
        }) {
            try (var in = ReferenceData.class.getResourceAsStream("/reference/" + file[0])) {
                String firstLine =
                        new String(in.readAllBytes()).lines().findFirst().orElseThrow();
                assertThat(firstLine).isEqualTo(file[1]);
            }
        }
    }

    @Test
    void blocklistMatchesAddressesAndRanges() {
        ReferenceData data = ReferenceData.bundled();
        assertThat(data.blocklisted("198.51.100.7")).isPresent();
        assertThat(data.blocklisted("198.51.100.8")).isEmpty();
        assertThat(data.blocklisted("203.0.113.200")).isPresent();
        assertThat(data.blocklisted("2001:db8:bad::17")).isPresent();
        assertThat(data.blocklisted("100.64.1.1")).isEmpty();
        assertThat(data.blocklisted(null)).isEmpty();
        assertThat(data.blocklisted("not-an-ip")).isEmpty();
    }

    @Test
    void randomAddressesStayInTheirRange() {
        Random random = new Random(1);
        for (String cidr : new String[] {"203.0.113.0/24", "198.51.100.7", "2001:db8:bad::/48", "100.64.0.0/10"}) {
            IpRange range = IpRange.parse(cidr);
            for (int i = 0; i < 200; i++) {
                String ip = range.randomAddress(random);
                assertThat(range.contains(ip)).as(cidr + " " + ip).isTrue();
            }
        }
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRange.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsADirectoryAndRejectsAWrongHeader(@TempDir Path dir) throws IOException {
        for (String name :
                new String[] {ReferenceData.LOCATIONS_FILE, ReferenceData.PRODUCTS_FILE, ReferenceData.FRAUD_IPS_FILE
                }) {
            try (var in = ReferenceData.class.getResourceAsStream("/reference/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        Files.writeString(
                dir.resolve(ReferenceData.PRODUCTS_FILE),
                "sku,name,category,brand,list_price\nSKU-1,\"Quoted, with comma\",Audio,Acme,9.99\n");
        ReferenceData data = ReferenceData.fromDirectory(dir);
        assertThat(data.products()).singleElement().satisfies(p -> assertThat(p.name())
                .isEqualTo("Quoted, with comma"));

        Files.writeString(dir.resolve(ReferenceData.PRODUCTS_FILE), "sku,title,price\nSKU-1,x,1\n");
        assertThatThrownBy(() -> ReferenceData.fromDirectory(dir))
                .hasMessageContaining("products.csv")
                .hasMessageContaining("header");
    }
}

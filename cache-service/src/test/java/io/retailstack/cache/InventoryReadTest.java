package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class InventoryReadTest {

    @Inject
    CassandraStateRepository repository;

    @BeforeAll
    static void schema() {
        StackFixture.cassandra();
    }

    @Test
    void shouldSumAvailabilityOverLocationsFromOnePartitionRead() {
        String sku = StackFixture.id("SKU");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 10, 3)); // available 7, version 2
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-B", 4, 0)); // available 4, version 1
        long before = repository.inventoryReadCount();

        given().get("/v1/inventory/" + sku)
                .then()
                .statusCode(200)
                .header("X-Cache", "MISS")
                .header("ETag", "\"3.2\"")
                .header("Cache-Control", "public, max-age=1")
                .body("totalAvailable", is(11))
                .body("totalOnHand", is(14))
                .body("totalReserved", is(3))
                .body("locations.locationId", contains("LOC-A", "LOC-B"))
                .body("locations.available", contains(7, 4));
        given().get("/v1/inventory/" + sku + "/locations/LOC-B")
                .then()
                .statusCode(200)
                .header("X-Cache", "HIT")
                .header("ETag", "\"1\"")
                .body("available", is(4));
        given().header("If-None-Match", "\"3.2\"")
                .get("/v1/inventory/" + sku)
                .then()
                .statusCode(304);

        assertThat(repository.inventoryReadCount() - before).isEqualTo(1);
    }

    @Test
    void shouldTellWhereAQuantityCanBeBought() {
        String sku = StackFixture.id("SKU");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 10, 3));
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-B", 4, 0));

        given().get("/v1/inventory/" + sku + "/availability?quantity=5")
                .then()
                .statusCode(200)
                .body("available", is(true))
                .body("totalAvailable", is(11))
                .body("fulfillableFrom", contains("LOC-A"));
        given().get("/v1/inventory/" + sku + "/availability?quantity=9")
                .then()
                .statusCode(200)
                .body("available", is(true))
                .body("fulfillableFrom", empty());
        given().get("/v1/inventory/" + sku + "/availability?quantity=12")
                .then()
                .statusCode(200)
                .body("available", is(false));
        given().get("/v1/inventory/" + sku + "/availability?quantity=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer404ForUnknownSkuAndUnknownLocation() {
        String sku = StackFixture.id("SKU");
        long before = repository.inventoryReadCount();
        given().get("/v1/inventory/" + sku).then().statusCode(404).contentType("application/problem+json");
        given().get("/v1/inventory/" + sku + "/availability?quantity=1")
                .then()
                .statusCode(404)
                .header("X-Cache", "HIT");
        assertThat(repository.inventoryReadCount() - before).isEqualTo(1);

        String known = StackFixture.id("SKU");
        StackFixture.writeInventoryState(StackFixture.stock(known, "LOC-A", 1, 0));
        given().get("/v1/inventory/" + known + "/locations/LOC-Z")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/v1/inventory/" + known + "/locations/LOC@Z").then().statusCode(400);
    }
}

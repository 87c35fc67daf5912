package io.retailstack.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void shouldScaleAvailabilityChartToTheDataSoSmallMovesShow() {
        List<List<Object>> points = List.of(
                List.of(OffsetDateTime.parse("2025-01-06T08:00:00Z"), 960),
                List.of(OffsetDateTime.parse("2025-01-06T09:00:00Z"), 950));

        String svg = HtmlReport.lineChart(points);

        // axis labels are the data's min and max, and the polyline spans the full plot height (y 40 .. 200)
        assertThat(svg).contains(">960</text>").contains(">950</text>");
        assertThat(svg).contains("points=\"40.0,40.0 680.0,200.0 \"");
    }

    @Test
    void shouldEscapeMarkupInLabels() {
        assertThat(HtmlReport.escape("<b>&\"")).isEqualTo("&lt;b&gt;&amp;&quot;");
    }
}

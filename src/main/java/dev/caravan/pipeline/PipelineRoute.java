package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * Checks that the loaded route file, the pipeline's table of contents for people, says what the stage model
 * says: route {@value #ROUTE} calls {@code direct:STAGE} for every stage of {@link PipelineStages#ALL}, in that
 * order, and a route from each {@code direct:STAGE} exists. Resume and the step cache follow the stage model, so a
 * route that disagrees would break them silently; the runner refuses to start instead, naming the file and the
 * first difference.
 */
final class PipelineRoute {
    static final String ROUTE = "pipeline";

    private PipelineRoute() {}

    static void check(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model.getRouteDefinition(ROUTE);
        if (route == null) {
            throw CaravanException.badSetting("the pipeline's routes have no route '" + ROUTE + "'");
        }
        String file = route.getResource() == null
                ? "the route file"
                : route.getResource().getLocation();
        // abstract outputs are what route configurations weave in (the shared onException), not steps
        List<ProcessorDefinition<?>> steps =
                route.getOutputs().stream().filter(step -> !step.isAbstract()).toList();
        for (int i = 0; i < Math.max(steps.size(), PipelineStages.ALL.size()); i++) {
            String expected = i < PipelineStages.ALL.size() ? "to: " + uri(PipelineStages.ALL.get(i)) : "no step";
            String found = i < steps.size() ? describe(steps.get(i)) : "no step";
            if (!found.equals(expected)) {
                throw CaravanException.badSetting(file + ": step " + (i + 1) + " of route '" + ROUTE + "' is "
                        + found + ", but the stage model (" + PipelineStages.class.getSimpleName() + ") has "
                        + expected + " there; the route must call every stage in the model's order");
            }
        }
        for (Stage<?> stage : PipelineStages.ALL) {
            boolean exists = model.getRouteDefinitions().stream().anyMatch(definition -> uri(stage)
                    .equals(definition.getInput().getUri()));
            if (!exists) {
                throw CaravanException.badSetting(file + ": no route starts from " + uri(stage) + ", which route '"
                        + ROUTE + "' calls for stage " + stage);
            }
        }
    }

    private static String uri(Stage<?> stage) {
        return "direct:" + stage.name();
    }

    private static String describe(ProcessorDefinition<?> step) {
        return step instanceof ToDefinition to ? "to: " + to.getUri() : step.getShortName();
    }
}

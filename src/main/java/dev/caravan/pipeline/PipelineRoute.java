package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * Checks that the loaded route file, the pipeline's table of contents for people, says what the stage model
 * says: route {@value #ROUTE} calls {@code direct:STAGE} for every stage of {@link PipelineStages#ALL}, in that
 * order; the route from each {@code direct:STAGE} runs that stage's bean alone; and all of them use the error
 * configuration {@value #ERRORS}, which records a failed run. Resume and the step cache follow the stage model,
 * so a route that disagrees would break them silently; the runner refuses to start instead, naming the file and
 * the first difference.
 */
final class PipelineRoute {
    static final String ROUTE = "pipeline";
    static final String ERRORS = "caravan-errors";
    /** The bean {@value #ERRORS} calls. */
    static final String FAILURE_HANDLER = "runFailureHandler";

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
        List<ProcessorDefinition<?>> steps = steps(route);
        for (int i = 0; i < Math.max(steps.size(), PipelineStages.ALL.size()); i++) {
            String expected = i < PipelineStages.ALL.size() ? "to: " + uri(PipelineStages.ALL.get(i)) : "no step";
            String found = i < steps.size() ? describe(steps.get(i)) : "no step";
            if (!found.equals(expected)) {
                throw CaravanException.badSetting(file + ": step " + (i + 1) + " of route '" + ROUTE + "' is "
                        + found + ", but the stage model (" + PipelineStages.class.getSimpleName() + ") has "
                        + expected + " there; the route must call every stage in the model's order");
            }
        }
        requireErrors(file, route);
        for (Stage<?> stage : PipelineStages.ALL) {
            RouteDefinition stageRoute = model.getRouteDefinitions().stream()
                    .filter(definition ->
                            uri(stage).equals(definition.getInput().getUri()))
                    .findFirst()
                    .orElseThrow(() -> CaravanException.badSetting(file + ": no route starts from " + uri(stage)
                            + ", which route '" + ROUTE + "' calls for stage " + stage));
            String found = steps(stageRoute).stream()
                    .map(PipelineRoute::describe)
                    .toList()
                    .toString();
            String expected = List.of("process: " + stage.name()).toString();
            if (!found.equals(expected)) {
                throw CaravanException.badSetting(file + ": the route from " + uri(stage) + " has the steps " + found
                        + ", but it must run the stage's own bean alone: " + expected);
            }
            requireErrors(file, stageRoute);
        }
    }

    private static void requireErrors(String file, RouteDefinition route) {
        if (!ERRORS.equals(route.getRouteConfigurationId())) {
            throw CaravanException.badSetting(file + ": route '" + route.getRouteId() + "' must set"
                    + " routeConfigurationId: " + ERRORS + ", which records a failed run; it has "
                    + route.getRouteConfigurationId());
        }
    }

    /** The route's own steps: abstract outputs are what route configurations weave in (the shared onException). */
    private static List<ProcessorDefinition<?>> steps(RouteDefinition route) {
        return route.getOutputs().stream().filter(step -> !step.isAbstract()).toList();
    }

    private static String uri(Stage<?> stage) {
        return "direct:" + stage.name();
    }

    private static String describe(ProcessorDefinition<?> step) {
        if (step instanceof ToDefinition to) {
            return "to: " + to.getUri();
        }
        return step instanceof ProcessDefinition process ? "process: " + process.getRef() : step.getShortName();
    }
}

package vidkit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.qa.Question;
import vidkit.qa.QuestionGenerator;
import vidkit.qa.QuestionsFile;

@Command(name = "qa", mixinStandardHelpOptions = true,
        description = "Questions for the question-answering task (JSON lines).",
        subcommands = {QaCommand.Generate.class})
final class QaCommand {
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate questions about the clips of an AVE-style paired directory from its annotations "
                    + "(labels.csv: label, event, start_s, end_s): what, when-start, when-end, how-long, at-second, is-it; per "
                    + "clip and type two questions in seen phrasings and one in the type's held-out phrasing. The questions "
                    + "are generated, the answers are the human annotations.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "Paired directory with labels.csv.")
        Path data;

        @Option(names = "--out", required = true, description = "The questions file to write (JSON lines).")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "Seeds the phrasings, seconds and distractors.")
        long seed;

        @Override
        public Integer call() throws Exception {
            List<Question> q = QuestionGenerator.generate(data, seed);
            QuestionsFile.write(out, q);
            Map<String, Integer> perType = new TreeMap<>();
            q.forEach(x -> perType.merge(x.type(), 1, Integer::sum));
            long heldOut = q.stream().filter(Question::heldOut).count();
            System.out.printf("%d questions (%d in held-out phrasings) about %d clips → %s; per type %s — generated "
                    + "questions, answers from the human annotations%n", q.size(), heldOut,
                    q.stream().map(Question::clip).distinct().count(), out, perType);
            return 0;
        }
    }
}

package vidkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.RunDirectory;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.media.ModelFiles;
import vidkit.qa.TrainedAnswerer;
import vidkit.serve.ServiceException;
import vidkit.serve.VideoUploads;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Ask a question-answering run a question about one clip — a clip of a paired directory by id, or a "
                + "video file (extracted like `vidkit extract`, for runs trained on such features; its first seconds) — and "
                + "print the answer with the top answers and their probabilities.")
final class AskCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A qa run directory.")
    Path run;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Clip clip;

    static final class Clip {
        @Option(names = "--id", description = "A clip id of --data (default data: the run's).") String id;
        @Option(names = "--video", description = "A video file.") Path video;
    }

    @Option(names = "--data", description = "The paired directory of --id (default: the run's training data).")
    Path data;

    @Option(names = "--question", required = true, description = "The question.")
    String question;

    @Option(names = "--top", defaultValue = "5", description = "How many answers to list (default 5).")
    int top;

    @Option(names = "--models", description = "Pretrained models' directory, for --video (default ../shared/models).")
    Path models;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.open(run);
        try (TrainedAnswerer answerer = TrainedAnswerer.load(dir.inferenceCheckpoint())) {
            int frames = answerer.state().frames();
            float[] video;
            float[] audio;
            if (clip.id != null) {
                Path d = data != null ? data : Path.of(answerer.config().data());
                PairedDataset p = PairedDataset.load(d);
                int at = p.ids().indexOf(clip.id);
                if (at < 0) {
                    throw new InvalidDataException(d, "has no clip '" + clip.id + "'");
                }
                video = p.video().rows(at);
                audio = p.audio().rows(at);
            } else {
                VideoUploads.Check check = VideoUploads.check(run);
                if (check.refusal() != null) {
                    throw new IllegalArgumentException(check.refusal());
                }
                if (!Files.isRegularFile(clip.video)) {
                    throw new InvalidDataException(clip.video, "no such file");
                }
                try (VideoUploads uploads = new VideoUploads(3840L * 2160, models != null ? models : ModelFiles.defaultDir())) { // the server's default maxVideoPixels
                    VideoUploads.Features f = uploads.extract(Files.readAllBytes(clip.video), check.audio());
                    if (f.seconds() < frames) {
                        throw new InvalidDataException(clip.video, "has " + f.seconds() + " whole seconds; the run answers "
                                + "about clips of " + frames);
                    }
                    int dv = f.video().length / f.seconds();
                    int da = f.audio().length / f.seconds();
                    video = Arrays.copyOf(f.video(), frames * dv);
                    audio = Arrays.copyOf(f.audio(), frames * da);
                } catch (ServiceException e) {
                    throw new InvalidDataException(clip.video, e.getMessage());
                }
            }
            List<TrainedAnswerer.Answer> answers = answerer.answer(video, audio, question, top);
            System.out.println("answer: " + answers.get(0).answer());
            for (TrainedAnswerer.Answer a : answers) {
                System.out.printf(Locale.ROOT, "  %-32s %.4f%n", a.answer(), a.probability());
            }
            return 0;
        }
    }
}

using System.Diagnostics;

namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchStepTasksTests
{
    private static BatchStepRequest Valid(Func<BatchStepRequest, BatchStepRequest>? change = null)
    {
        var request = new BatchStepRequest { TaskId = "train-a1", Image = "python:3.12", Command = "python -c 'print(1)'" };
        return change?.Invoke(request) ?? request;
    }

    [Fact]
    public void Create_Minimal_NoBlobFilesAndBashWrappedCommand()
    {
        var task = BatchStepTasks.Create(Valid());

        Assert.Empty(task.ResourceFiles!);
        Assert.Empty(task.OutputFiles!);
        Assert.StartsWith("/bin/bash -c ", task.CommandLine, StringComparison.Ordinal);
        Assert.Contains("SERVERLESS_OUTPUTS=", task.CommandLine, StringComparison.Ordinal);
        Assert.Equal("taskWorkingDirectory", task.ContainerSettings!.WorkingDirectory);
    }

    [Fact]
    public async Task Create_CommandLine_RunsInWorkingDirWithLocalExecutorVariables()
    {
        var work = Directory.CreateTempSubdirectory("batch-wd-").FullName;
        try
        {
            var task = BatchStepTasks.Create(new BatchStepRequest
            {
                TaskId = "train-a1",
                Image = "python:3.12",
                Command = "printf '%s\\n' \"$SERVERLESS_INPUT_DATA\" \"$SERVERLESS_OUTPUT_MODEL\" \"$PWD\" && echo it\\'s > \"$SERVERLESS_OUTPUTS/done\"",
                IdentityResourceId = "/id",
                Inputs = [new BatchStepInput { Name = "data", BlobUrl = "https://st.blob.core.windows.net/c/data.csv" }],
                OutputNames = ["model"],
            });

            // Batch splits commandLine into words like a shell; bash -c over the whole line does the same here.
            var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(task.CommandLine);
            info.Environment["AZ_BATCH_TASK_WORKING_DIR"] = work;
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.Equal(0, process.ExitCode);
            Assert.Equal($"{work}/inputs/data\n{work}/outputs/model\n{work}\n", output);
            Assert.Equal("it's\n", await File.ReadAllTextAsync(Path.Combine(work, "outputs", "done")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("my-data")]
    [InlineData("../x")]
    [InlineData("1st")]
    public void Create_InputNameNotIdentifier_ErrorNamesTheInput(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(new BatchStepRequest
        {
            TaskId = "t-a1", Image = "i", Command = "c", IdentityResourceId = "/id",
            Inputs = [new BatchStepInput { Name = name, BlobUrl = "https://st/c/b" }],
        }));

        Assert.Contains("Inputs[0].Name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InputWithBothSources_ErrorNamesTheInput()
    {
        var request = new BatchStepRequest
        {
            TaskId = "train-a1", Image = "img", Command = "true", IdentityResourceId = "/id",
            Inputs = [new BatchStepInput { Name = "data", BlobUrl = "https://a/b/c", ContainerUrl = "https://a/b" }],
        };

        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(request));

        Assert.Contains("Inputs[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of BlobUrl or ContainerUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BlobWithoutIdentity_ErrorNamesIdentity()
    {
        var request = new BatchStepRequest
        {
            TaskId = "train-a1", Image = "img", Command = "true", OutputContainerUrl = "https://st.blob.core.windows.net/out",
        };

        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(request));

        Assert.Equal("IdentityResourceId", ex.ParamName);
    }

    [Theory]
    [InlineData("bad id")]
    [InlineData("")]
    public void Create_InvalidTaskId_ErrorNamesTaskId(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(new BatchStepRequest { TaskId = id, Image = "i", Command = "c" }));

        Assert.Equal("TaskId", ex.ParamName);
    }

    [Fact]
    public void Create_NonHttpsOutput_ErrorNamesField()
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(new BatchStepRequest
        {
            TaskId = "t-a1", Image = "i", Command = "c", IdentityResourceId = "/id", OutputContainerUrl = "http://st/out",
        }));

        Assert.Contains("OutputContainerUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FolderAndCollectedInputs_CommandMovesStagedBlobsToTheLocalLayout()
    {
        var work = Directory.CreateTempSubdirectory("batch-wd-").FullName;
        try
        {
            var task = BatchStepTasks.Create(new BatchStepRequest
            {
                TaskId = "eval-a1",
                Image = "python:3.12",
                Command = "cd \"$SERVERLESS_INPUT_DATA\" && find . -type f | sort && ls \"$SERVERLESS_INPUT_PARTS\" && ls \"$SERVERLESS_INPUTS/empty\" | wc -l",
                IdentityResourceId = "/id",
                Inputs =
                [
                    new BatchStepInput { Name = "data", ContainerUrl = "https://st.blob.core.windows.net/c", BlobPrefix = "run 1/prep/attempt-1/outputs/data/" },
                    new BatchStepInput { Name = "parts", Index = 0, BlobUrl = "https://st.blob.core.windows.net/c/run/p/0/outputs/m" },
                    new BatchStepInput { Name = "parts", Index = 1, ContainerUrl = "https://st.blob.core.windows.net/c", BlobPrefix = "run/p/1/outputs/m/" },
                    new BatchStepInput { Name = "empty", ContainerUrl = "https://st.blob.core.windows.net/c", BlobPrefix = "nothing/here/" },
                ],
            });
            var files = task.ResourceFiles!;
            Assert.Equal([".staging/inputs/data", "inputs/parts/0", ".staging/inputs/parts/1", ".staging/inputs/empty"], files.Select(f => f.FilePath));

            // What Batch's download leaves: the whole blob name below filePath.
            void Put(string path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
                File.WriteAllText(Path.Combine(work, path), "x");
            }

            Put(".staging/inputs/data/run 1/prep/attempt-1/outputs/data/train.csv");
            Put(".staging/inputs/data/run 1/prep/attempt-1/outputs/data/sub/val.csv");
            Put("inputs/parts/0");
            Put(".staging/inputs/parts/1/run/p/1/outputs/m/weights.bin");
            var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(task.CommandLine);
            info.Environment["AZ_BATCH_TASK_WORKING_DIR"] = work;
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.Equal(0, process.ExitCode);
            Assert.Equal("./sub/val.csv\n./train.csv\n0\n1\n0\n", output);
            Assert.True(File.Exists(Path.Combine(work, "inputs", "parts", "1", "weights.bin")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Create_SameInputNameTwiceWithoutIndex_ErrorNamesTheInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchStepTasks.Create(new BatchStepRequest
        {
            TaskId = "t-a1", Image = "i", Command = "c", IdentityResourceId = "/id",
            Inputs = [new BatchStepInput { Name = "a", BlobUrl = "https://st/c/b" }, new BatchStepInput { Name = "a", BlobUrl = "https://st/c/d" }],
        }));

        Assert.Contains("Inputs[1].Name", ex.Message, StringComparison.Ordinal);
    }
}

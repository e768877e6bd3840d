using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network.Tests;

/// <summary>Writes log lines to the NUnit progress output (for diagnosing a failing test).</summary>
internal sealed class TestLoggerFactory : ILoggerFactory
{
    readonly LogLevel _minimum;

    public TestLoggerFactory(LogLevel minimum = LogLevel.Debug) => _minimum = minimum;

    public List<string> Lines { get; } = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    sealed class Logger(TestLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}";
            lock (owner.Lines)
            {
                owner.Lines.Add(line);
            }

            TestContext.Progress.WriteLine(line);
        }
    }
}

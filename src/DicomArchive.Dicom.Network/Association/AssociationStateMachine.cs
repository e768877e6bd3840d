using static DicomArchive.Dicom.Network.Association.AssociationAction;

namespace DicomArchive.Dicom.Network.Association;

/// <summary>
/// The DICOM upper layer state machine of PS3.8 9.2 (Table 9-10), as one explicit type. <see cref="Handle"/> looks up
/// the action for an event in the current state, moves to the next state and starts or stops the ARTIM timer as the
/// action says; the caller performs the action's I/O (sending a PDU, closing the transport, raising an indication).
/// <para>
/// The ARTIM timer runs on the injected <see cref="TimeProvider"/>. When it expires the machine does not change state
/// by itself (the timer fires on another thread): it calls the <c>artimExpired</c> callback, and the owner feeds
/// <see cref="AssociationEvent.Evt18"/> from its own loop. Not thread-safe: one owner drives it.
/// </para>
/// </summary>
public sealed class AssociationStateMachine : IDisposable
{
    const int StateCount = 13;
    const int EventCount = 19;

    static readonly AssociationAction[,] Table = BuildTable();

    readonly TimeProvider _timeProvider;
    readonly TimeSpan _artimTimeout;
    readonly Action? _artimExpired;
    ITimer? _artim;
    int _artimGeneration;

    /// <param name="isRequestor">Whether this side requested the association (decides the release collision path, AR-8).</param>
    /// <param name="timeProvider">Clock for the ARTIM timer.</param>
    /// <param name="artimTimeout">ARTIM timeout (PS3.8 9.1.5).</param>
    /// <param name="artimExpired">Called (on a timer thread) when the ARTIM timer expires.</param>
    public AssociationStateMachine(bool isRequestor, TimeProvider timeProvider, TimeSpan artimTimeout, Action? artimExpired = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        IsRequestor = isRequestor;
        _timeProvider = timeProvider;
        _artimTimeout = artimTimeout;
        _artimExpired = artimExpired;
    }

    public bool IsRequestor { get; }

    public AssociationState State { get; private set; } = AssociationState.Sta1;

    public bool IsArtimRunning => _artim is not null;

    /// <summary>Whether the association is established (data transfer is allowed, PS3.8 Sta6).</summary>
    public bool IsEstablished => State == AssociationState.Sta6;

    /// <summary>The action Table 9-10 gives for <paramref name="evt"/> in <paramref name="state"/> (<see cref="None"/> when the cell is empty).</summary>
    public static AssociationAction Lookup(AssociationState state, AssociationEvent evt) => Table[(int)evt - 1, (int)state - 1];

    /// <summary>Applies <paramref name="evt"/>: returns the action to perform and moves to the next state.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="acceptableToProvider">For AE-6 only: whether the service-provider finds the A-ASSOCIATE-RQ acceptable.</param>
    /// <exception cref="InvalidOperationException">The event is not valid in the current state (an empty cell).</exception>
    public AssociationAction Handle(AssociationEvent evt, bool acceptableToProvider = true)
    {
        AssociationAction action = Lookup(State, evt);
        if (action == None)
        {
            throw new InvalidOperationException($"{evt} is not valid in {State} (PS3.8 Table 9-10)");
        }

        State = Apply(action, acceptableToProvider);
        return action;
    }

    AssociationState Apply(AssociationAction action, bool acceptableToProvider)
    {
        switch (action)
        {
            case AE1: return AssociationState.Sta4;
            case AE2: return AssociationState.Sta5;
            case AE3: return AssociationState.Sta6;
            case AE4: return AssociationState.Sta1;
            case AE5:
                StartArtim();
                return AssociationState.Sta2;
            case AE6:
                StopArtim();
                if (acceptableToProvider)
                {
                    return AssociationState.Sta3;
                }

                StartArtim();
                return AssociationState.Sta13;
            case AE7: return AssociationState.Sta6;
            case AE8:
                StartArtim();
                return AssociationState.Sta13;
            case DT1:
            case DT2:
                return AssociationState.Sta6;
            case AR1: return AssociationState.Sta7;
            case AR2: return AssociationState.Sta8;
            case AR3: return AssociationState.Sta1;
            case AR4:
                StartArtim();
                return AssociationState.Sta13;
            case AR5:
                StopArtim();
                return AssociationState.Sta1;
            case AR6: return AssociationState.Sta7;
            case AR7: return AssociationState.Sta8;
            case AR8: return IsRequestor ? AssociationState.Sta9 : AssociationState.Sta10;
            case AR9: return AssociationState.Sta11;
            case AR10: return AssociationState.Sta12;
            case AA1:
                StartArtim();
                return AssociationState.Sta13;
            case AA2:
                StopArtim();
                return AssociationState.Sta1;
            case AA3:
            case AA4:
                StopArtim();
                return AssociationState.Sta1;
            case AA5:
                StopArtim();
                return AssociationState.Sta1;
            case AA6:
            case AA7:
                return AssociationState.Sta13;
            case AA8:
                StartArtim();
                return AssociationState.Sta13;
            default:
                throw new InvalidOperationException($"Unknown action {action}");
        }
    }

    void StartArtim()
    {
        StopArtim();
        int generation = ++_artimGeneration;
        _artim = _timeProvider.CreateTimer(
            _ =>
            {
                if (Volatile.Read(ref _artimGeneration) == generation)
                {
                    _artimExpired?.Invoke();
                }
            },
            null, _artimTimeout, Timeout.InfiniteTimeSpan);
    }

    void StopArtim()
    {
        Interlocked.Increment(ref _artimGeneration);
        _artim?.Dispose();
        _artim = null;
    }

    public void Dispose() => StopArtim();

    static AssociationAction[,] BuildTable()
    {
        var t = new AssociationAction[EventCount, StateCount];

        void Set(AssociationEvent evt, AssociationAction action, params int[] states)
        {
            foreach (int s in states)
            {
                t[(int)evt - 1, s - 1] = action;
            }
        }

        int[] sta6To12 = [6, 7, 8, 9, 10, 11, 12];
        int[] sta5To12 = [5, 6, 7, 8, 9, 10, 11, 12];
        int[] sta3And5To12 = [3, 5, 6, 7, 8, 9, 10, 11, 12];

        // PS3.8 Table 9-10, row by row.
        Set(AssociationEvent.Evt1, AE1, 1);
        Set(AssociationEvent.Evt2, AE2, 4);

        Set(AssociationEvent.Evt3, AA1, 2);
        Set(AssociationEvent.Evt3, AA8, 3);
        Set(AssociationEvent.Evt3, AE3, 5);
        Set(AssociationEvent.Evt3, AA8, sta6To12);
        Set(AssociationEvent.Evt3, AA6, 13);

        Set(AssociationEvent.Evt4, AA1, 2);
        Set(AssociationEvent.Evt4, AA8, 3);
        Set(AssociationEvent.Evt4, AE4, 5);
        Set(AssociationEvent.Evt4, AA8, sta6To12);
        Set(AssociationEvent.Evt4, AA6, 13);

        Set(AssociationEvent.Evt5, AE5, 1);

        Set(AssociationEvent.Evt6, AE6, 2);
        Set(AssociationEvent.Evt6, AA8, sta3And5To12);
        Set(AssociationEvent.Evt6, AA7, 13);

        Set(AssociationEvent.Evt7, AE7, 3);
        Set(AssociationEvent.Evt8, AE8, 3);

        Set(AssociationEvent.Evt9, DT1, 6);
        Set(AssociationEvent.Evt9, AR7, 8);

        Set(AssociationEvent.Evt10, AA1, 2);
        Set(AssociationEvent.Evt10, AA8, sta3And5To12);
        Set(AssociationEvent.Evt10, DT2, 6);
        Set(AssociationEvent.Evt10, AR6, 7);
        Set(AssociationEvent.Evt10, AA6, 13);

        Set(AssociationEvent.Evt11, AR1, 6);

        Set(AssociationEvent.Evt12, AA1, 2);
        Set(AssociationEvent.Evt12, AA8, sta3And5To12);
        Set(AssociationEvent.Evt12, AR2, 6);
        Set(AssociationEvent.Evt12, AR8, 7);
        Set(AssociationEvent.Evt12, AA6, 13);

        Set(AssociationEvent.Evt13, AA1, 2);
        Set(AssociationEvent.Evt13, AA8, sta3And5To12);
        Set(AssociationEvent.Evt13, AR3, 7);
        Set(AssociationEvent.Evt13, AR10, 10);
        Set(AssociationEvent.Evt13, AR3, 11);
        Set(AssociationEvent.Evt13, AA6, 13);

        Set(AssociationEvent.Evt14, AR4, 8);
        Set(AssociationEvent.Evt14, AR9, 9);
        Set(AssociationEvent.Evt14, AR4, 12);

        Set(AssociationEvent.Evt15, AA1, 3);
        Set(AssociationEvent.Evt15, AA2, 4);
        Set(AssociationEvent.Evt15, AA1, sta5To12);

        Set(AssociationEvent.Evt16, AA2, 2);
        Set(AssociationEvent.Evt16, AA3, sta3And5To12);
        Set(AssociationEvent.Evt16, AA2, 13);

        Set(AssociationEvent.Evt17, AA5, 2);
        Set(AssociationEvent.Evt17, AA4, 3, 4);
        Set(AssociationEvent.Evt17, AA4, sta5To12);
        Set(AssociationEvent.Evt17, AR5, 13);

        Set(AssociationEvent.Evt18, AA2, 2, 13);

        Set(AssociationEvent.Evt19, AA1, 2);
        Set(AssociationEvent.Evt19, AA8, sta3And5To12);
        Set(AssociationEvent.Evt19, AA7, 13);
        return t;
    }
}

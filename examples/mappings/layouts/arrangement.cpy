      * Core-banking ARRANGEMENT record (one row per promise or plan).
       01  ARRANGEMENT-REC.
           05  ARR-ACCOUNT-NO      PIC X(10).
           05  ARR-TYPE            PIC X(3).
           05  ARR-AMOUNT          PIC S9(7)V99 COMP-3.
           05  ARR-CURRENCY        PIC X(3).
           05  ARR-DUE-DATE        PIC 9(8).
           05  ARR-PAY-METHOD      PIC X(2).
           05  ARR-NOTE            PIC X(40).
           05  ARR-SUBJECT         PIC X(30).
